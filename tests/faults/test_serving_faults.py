"""The site while its cache or database is gone, and while an import writes."""

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.test import Client

from tests.factories import make_article

from .scratch import ROOT, ScratchSite, is_postgres, write_corpus


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_pages_are_served_from_the_database_when_redis_is_unreachable(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        },
    }
    article = make_article(headline="Still here", tags=["Weather"])
    for url in ("/", article.get_absolute_url(), "/tag/weather/", "/feed/"):
        response = Client().get(url)
        assert response.status_code == 200, url
    assert b"Still here" in Client().get(article.get_absolute_url()).content


def test_a_redis_outage_is_logged_once_while_pages_keep_coming(tmp_path):
    """Two gunicorn workers, Redis unreachable: each reports the outage once."""
    site = ScratchSite(tmp_path)
    try:
        write_corpus(tmp_path / "c.jsonl", 5)
        site.manage("import_articles", tmp_path / "c.jsonl", check=True)
        server = Server(site, CACHE_URL=f"redis://127.0.0.1:{free_port()}/0")
        try:
            for n in range(60):
                path = ("/", "/feed/", "/search/?q=story")[n % 3]
                assert server.get(path)[0] == 200, path
        finally:
            server.stop()
        log = server.stderr.read_text()
        reports = [line for line in log.splitlines() if "Cache unavailable" in line]
        assert 1 <= len(reports) <= 2, log[-2000:]  # once per worker
        assert "ConnectionError" in reports[0]
        assert "Traceback" not in log
        assert len(log) < 5_000
    finally:
        site.drop()


def test_an_outage_is_reported_again_at_most_once_a_minute(monkeypatch):
    from newsroom import log_filters

    clock = [1000.0]
    monkeypatch.setattr(log_filters.time, "monotonic", lambda: clock[0])
    outage = log_filters.OutageFilter(message="Cache unavailable")

    def failed_call():
        try:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6390.")
        except ConnectionError:
            record = logging.LogRecord(
                "django_redis.cache", logging.ERROR, __file__, 1,
                "Exception ignored", (), sys.exc_info(),
            )  # fmt: skip
        return record if outage.filter(record) else None

    first = failed_call()
    assert first.getMessage() == (
        "Cache unavailable: ConnectionError: Error 111 connecting to 127.0.0.1:6390."
    )
    assert first.exc_info is None  # no traceback per failed call
    clock[0] += 59
    assert [failed_call() for _ in range(500)] == [None] * 500
    clock[0] += 1
    again = failed_call()
    assert again.getMessage().endswith("(500 more since the last report)")
    assert failed_call() is None


class Server:
    """gunicorn on a scratch site, answering on 127.0.0.1."""

    def __init__(self, site, **env):
        self.port = free_port()
        self.log = site.dir / "gunicorn.log"
        self.stderr = site.dir / "stderr.log"  # where Django logs errors
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "newsroom.wsgi", "-w", "2",
             "-b", f"127.0.0.1:{self.port}", "--error-logfile", str(self.log)],
            cwd=ROOT, env={**site.env, **env}, stderr=self.stderr.open("w"),
        )  # fmt: skip
        for _ in range(100):
            try:
                self.get("/robots.txt")
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start")

    def get(self, path):
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}{path}", timeout=30
            ) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def test_database_unreachable_gives_503_then_recovers_without_restart(tmp_path):
    if is_postgres():
        pytest.skip(
            "the PostgreSQL variant (a relay cut mid-connection) is not reliable "
            "yet; the SQLite leg covers the 503 and the recovery"
        )
    site = ScratchSite(tmp_path)
    try:
        write_corpus(tmp_path / "c.jsonl", 5)
        site.manage("import_articles", tmp_path / "c.jsonl", check=True)
        # The database file disappears, then comes back.
        away = tmp_path / "away"
        away.mkdir()
        server = Server(site, DJANGO_CONN_MAX_AGE="0")

        def cut():
            for name in os.listdir(tmp_path):
                if name.startswith("site.sqlite3") and name != "site.sqlite3-cache":
                    # SQLite may drop its -wal/-shm files as we go.
                    with contextlib.suppress(FileNotFoundError):
                        shutil.move(tmp_path / name, away / name)

        def restore():
            for stray in tmp_path.glob("site.sqlite3*"):
                if stray.is_file():  # the empty file opened meanwhile
                    stray.unlink()
            for name in os.listdir(away):
                shutil.move(away / name, tmp_path / name)

        try:
            assert server.get("/search/?q=fault")[0] == 200
            cut()
            status, body = server.get("/search/?q=story")
            assert status == 503, body[:500]
            assert "back in a moment" in body.lower()
            assert "Traceback" not in body
            restore()
            for _ in range(20):
                status, body = server.get("/search/?q=story")
                if status == 200:
                    break
                time.sleep(0.5)
            assert status == 200, body[:500]
        finally:
            server.stop()
        assert "OperationalError" in server.stderr.read_text(), "the outage is logged"
    finally:
        site.drop()


def test_sqlite_import_while_serving_never_locks_readers(tmp_path):
    if is_postgres():
        pytest.skip("SQLite locking: runs in the SQLite leg")
    site = ScratchSite(tmp_path)
    write_corpus(tmp_path / "seed.jsonl", 30)
    site.manage("import_articles", tmp_path / "seed.jsonl", check=True)
    corpus = write_corpus(tmp_path / "more.jsonl", 300, start=30)
    server = Server(site, NEWSROOM_PAGE_CACHE_SECONDS="0")
    statuses, errors = [], []
    importer = site.popen("import_articles", corpus, stdout=subprocess.DEVNULL)

    def read():
        paths = ["/", "/search/?q=story", "/feed/", "/tag/topic-1/", "/sitemap.xml"]
        n = 0
        while importer.poll() is None:
            status, body = server.get(paths[n % len(paths)])
            statuses.append(status)
            if status >= 500 or "locked" in body:
                errors.append((paths[n % len(paths)], status, body[:300]))
            n += 1

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(timeout=600)
    server.stop()
    assert importer.wait() == 0
    assert len(statuses) > 20, "readers ran while the import wrote"
    assert not errors, errors[:3]
    assert "database is locked" not in server.log.read_text()
    assert site.invariants()["count"] == 330


if sys.platform != "linux":  # pragma: no cover
    pytestmark = pytest.mark.skip("fault tests use Linux process tools")
