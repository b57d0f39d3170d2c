"""A throwaway site for fault tests: its own database, media folder and processes.

Fault tests kill processes and connections, so they cannot share the test
database (a transaction that never commits). Each scratch site gets a fresh
database on the same engine as the suite (a file for SQLite, a new database for
PostgreSQL), migrated once, and runs the real `manage.py` in subprocesses.
"""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

INVARIANTS = """
import json, os
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from articles.models import Article
articles = Article.objects.annotate(
    n_authors=Count("bylines", distinct=True),
    n_tags=Count("tagged_items", distinct=True),
    n_related=Count(
        "related_links", filter=Q(related_links__kind="computed"), distinct=True
    ),
).select_related("hero_image")
report = {
    "count": 0, "uris": 0, "half_written": [], "missing_files": [], "no_related": []
}
uris = set()
for a in articles:
    report["count"] += 1
    uris.add(a.source_uri)
    if not a.headline or not a.body or a.n_authors == 0 or a.n_tags == 0:
        report["half_written"].append(a.source_uri)
    if a.is_live and a.n_related == 0:
        report["no_related"].append(a.source_uri)
    if a.hero_image_id and not default_storage.exists(a.hero_image.file.name):
        report["missing_files"].append(a.source_uri)
report["uris"] = len(uris)
print("INVARIANTS " + json.dumps(report))
"""


def is_postgres():
    return connection.vendor == "postgresql"


class ScratchSite:
    def __init__(self, tmp_path):
        self.dir = tmp_path
        self.media = tmp_path / "media"
        if is_postgres():
            db = settings.DATABASES["default"]
            self.db_name = f"newsroom_fault_{uuid.uuid4().hex[:10]}"
            self.admin_url = (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/postgres"
            )
            self.url = self.admin_url.rsplit("/", 1)[0] + f"/{self.db_name}"
            self.sql(f"CREATE DATABASE {self.db_name}")
        else:
            self.db_name = None
            self.url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "NEWSROOM_", "CACHE_URL", "REDIS_URL", "TASKS_")
            )
        }
        self.env.update(
            # Follow-up tasks run in the process that enqueues them (the fault
            # tests start no worker; tests/tasks/ does).
            TASKS_BACKEND="immediate",
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media),
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONUNBUFFERED="1",
            PYTHONWARNINGS="ignore",
        )
        self.manage("migrate", "-v0", check=True)

    def sql(self, statement, database="postgres"):
        import psycopg

        url = self.admin_url.rsplit("/", 1)[0] + f"/{database}"
        with psycopg.connect(url, autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else None

    def connect(self):
        """A plain connection to the site's database (autocommit), for reading
        its state while the site's own processes write."""
        if self.db_name:
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        return sqlite3.connect(self.dir / "site.sqlite3", isolation_level=None)

    def rows(self, query):
        with closing(self.connect()) as db:
            return db.execute(query).fetchall()

    def command(self, *args):
        return [sys.executable, "manage.py", *map(str, args)]

    def manage(self, *args, check=False, timeout=300):
        result = subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode:
            raise AssertionError(result.stdout + result.stderr)
        return result

    def popen(self, *args, **kwargs):
        return subprocess.Popen(
            self.command(*args), cwd=ROOT, env=self.env, text=True, **kwargs
        )

    def invariants(self):
        out = self.manage("shell", "--no-imports", "-c", INVARIANTS, check=True)
        line = next(x for x in out.stdout.splitlines() if x.startswith("INVARIANTS "))
        return json.loads(line.removeprefix("INVARIANTS "))

    def drop(self):
        if self.db_name:
            self.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{self.db_name}'"
            )
            self.sql(f"DROP DATABASE IF EXISTS {self.db_name}")


def write_corpus(path, count, *, start=0, image=None, pictures=0):
    """A ninjs JSON Lines file: every record has an author, tags and a body.

    Every record shows `image`, if given; else the first `pictures` records
    each show their own, `picture-<n>.jpg` (files the caller provides).
    """
    with open(path, "w") as out:
        for n in range(start, start + count):
            item = {
                "uri": f"urn:newsroom:fault:{n}",
                "headline": f"Fault story {n}",
                "body_html": f"<p>Paragraph one of story {n}.</p>" * 20,
                "byline": f"Writer {n % 7}",
                "firstcreated": f"2024-03-{n % 28 + 1:02d}T10:00:00Z",
                "pubstatus": "usable",
                "subject": [{"name": f"Topic {n % 11}"}, {"name": f"Theme {n % 5}"}],
            }
            href = image or (f"picture-{n}.jpg" if n < pictures else None)
            if href:
                item["associations"] = {
                    "featureimage": {
                        "type": "picture",
                        "renditions": {"original": {"href": href}},
                        "description_text": "A picture",
                    }
                }
            out.write(json.dumps(item) + "\n")
    return path
