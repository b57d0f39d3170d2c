"""The cost of a page-cache hit, in process: no server, no network, no load tool.

    python bench/hit_path.py [--hits 20000] [--path /feed/] [--without-front]
                             [--profile [--sort cumtime]]

Makes a scratch SQLite database (migrated, one article) with the project's
settings and its file-based shared cache, serves the article page once (a miss,
stored), then the same page `--hits` times through the project's WSGI application, as
gunicorn would call it (`--without-front`: Django's WSGI handler alone, as
before newsroom/front.py). Prints one JSON object: the Python function calls per
hit (cProfile's count: the same however loaded the machine is) and the
microseconds per hit (wall clock: noisy on a shared machine). With
`--profile`, the 25 costliest functions too, on stderr.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="with --profile")
    parser.add_argument("--path", help="a page other than the story's, e.g. /feed/")
    parser.add_argument("--without-front", action="store_true")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="hit-path-")
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    path = args.path or a_story()
    if args.path:
        a_story()

    if args.without_front:
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
    else:
        from newsroom.wsgi import application as app
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
        "HTTP_USER_AGENT": "hit-path",
    }
    statuses = []

    def start_response(status, headers):
        statuses.append(status)

    def hit():
        body = app({**environ, "wsgi.input": io.BytesIO()}, start_response)
        for _ in body:
            pass
        if hasattr(body, "close"):
            body.close()

    hit()  # the miss: rendered and stored
    hit()  # the first hit copies the page into this process's memory
    hit()  # and offers its answer to the front
    started = time.perf_counter()
    for _ in range(args.hits):
        hit()
    unprofiled = time.perf_counter() - started
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.hits):
        hit()
    profile.disable()
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profile)
    assert set(statuses) == {"200 OK"}, set(statuses)
    print(
        json.dumps(
            {
                "hits": args.hits,
                "calls_per_hit": round(stats.total_calls / args.hits, 1),
                "us_per_hit": round(unprofiled / args.hits * 1e6, 1),
                "us_per_hit_profiled": round(elapsed / args.hits * 1e6, 1),
            }
        )
    )
    if args.profile:
        stats.stream = sys.stderr
        stats.sort_stats(args.sort).print_stats(25)


def a_story():
    from django.utils import timezone

    from articles import publishing
    from articles.models import Author, Section

    section = Section.objects.create(name="World", slug="world")
    author = Author.objects.create(name="Ada", slug="ada")
    story = publishing.create(
        by=None,
        headline="Harbour reopens",
        slug="harbour-reopens",
        deck="The harbour reopened.",
        body="<p>" + "The harbour reopened today. " * 100 + "</p>",
        section=section,
        authors=[author],
        tags=["Harbour"],
    )
    publishing.publish(story, by=None, at=timezone.now())
    return story.get_absolute_url()


if __name__ == "__main__":
    main()
