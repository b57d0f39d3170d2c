"""Purge-to-fresh latency through the stack, and cached pages per second.

    python bench/purge_latency.py [--updates 50] [--seconds 10]

Starts the `make stack` topology (deploy/stack.py) on a scratch SQLite site
(or DATABASE_URL's PostgreSQL server, in a scratch database) and Redis at
BENCH_REDIS_URL (default redis://127.0.0.1:6379, databases 4 and 5), then:

1. Purge to fresh: updates a live story's headline `--updates` times through
   the write path, and after each commit asks Varnish for the story's section
   page every few milliseconds until the new headline is there. Reports p50,
   p99 and the worst of the time from the commit to the first fresh page.
2. Cached req/s: `--seconds` of wrk (32 connections; 8 threads of urllib
   without wrk) asking Varnish for the home page (always a hit), against the
   same asking one app server directly (its page cache: the best the app
   servers do without an edge).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.stack import Stack  # noqa: E402


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def hammer(url, seconds, readers=8):
    """Requests per second `readers` get from `url`: wrk's count, 32
    connections, where wrk is installed; else `readers` threads."""
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", "-c32", f"-d{seconds:g}s", url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = []
    stop = time.monotonic() + seconds

    def read():
        n = 0
        while time.monotonic() < stop:
            fetch(url)
            n += 1
        done.append(n)

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def bench_stack(folder, env, redis):
    """The `make stack` topology on free ports (not started yet), with this
    process set up as an editor's: it writes, and purges nothing itself."""
    stack = Stack(
        folder / "stack",
        env,
        redis_url=(f"{redis}/4", f"{redis}/5"),
        web_ports=(free_port(), free_port()),
        varnish_port=free_port(),
        scheduler_args=["--interval", "1"],
    )
    os.environ.update(stack.env, NEWSROOM_VARNISH_PURGE_URLS="")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()
    return stack


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="newsroom-purge-bench-"))
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
    database = os.environ.get("DATABASE_URL", "")
    scratch = None
    if database.startswith("postgres"):
        import psycopg

        scratch = f"newsroom_purge_bench_{uuid.uuid4().hex[:8]}"
        admin = database.rsplit("/", 1)[0]
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {scratch}")
        database = f"{admin}/{scratch}"
    else:
        database = f"sqlite:///{folder / 'site.sqlite3'}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "CACHE_URL", "TASKS_"))
    }
    env.update(
        DATABASE_URL=database,
        DJANGO_SECRET_KEY="bench-" + uuid.uuid4().hex * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(folder / "media"),
    )
    stack = bench_stack(folder, env, redis)
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    from articles import publishing
    from articles.models import Author, Section

    call_command("migrate", verbosity=0)
    cache.clear()
    section = Section.objects.create(name="Coast", slug="coast")
    author = Author.objects.create(name="Ann Writer", slug="ann-writer")
    story = publishing.create(
        by=None, headline="Headline 0", slug="the-story", body="<p>Text.</p>",
        section=section, authors=[author], tags=["Harbour"], status="published",
    )  # fmt: skip
    try:
        stack.start()
        settings.NEWSROOM_EDGE_PURGE = [{"KIND": "varnish", "URLS": [stack.url]}]
        page = f"{stack.url}/section/coast/"
        fetch(page)
        latencies = []
        for n in range(1, options.updates + 1):
            fetch(page)  # cached: the old headline
            headline = f"Headline {n}"
            publishing.update(story, by=None, headline=headline)
            committed = time.monotonic()
            while headline.encode() not in fetch(page):
                time.sleep(0.005)
            latencies.append((time.monotonic() - committed) * 1000)
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"purge to fresh, {len(latencies)} updates: "
            f"p50 {statistics.median(latencies):.0f} ms, p99 {p99:.0f} ms, "
            f"worst {latencies[-1]:.0f} ms"
        )
        home = f"{stack.url}/"
        direct = f"http://127.0.0.1:{stack.web_ports[0]}/"
        fetch(home), fetch(direct)
        through = hammer(home, options.seconds)
        print(f"cached home page through Varnish: {through:.0f} req/s")
        print(
            f"cached home page from one app server (its page cache): "
            f"{hammer(direct, options.seconds):.0f} req/s"
        )
    finally:
        stack.stop()
        if scratch:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


if __name__ == "__main__":
    main()
