"""The article change form's time in process, in an archive of many articles.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \
        .venv/bin/python bench/change_form.py [--articles 10000] [--requests 40]

Builds the archive in a throwaway test database (articles with 1-3 authors
and 3 tags each, from pools of 500 authors and 2,000 tags), then asks for the
change form of a story with 8 authors, 20 tags and 10 related links through
Django's test client, in this process: no server, no network. Prints the
median and 95th percentile time, the median CPU time of this process (less
sensitive to a busy machine) and the queries one request makes.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def build(count):
    from django.utils import timezone

    from articles.models import (
        Article,
        ArticleTag,
        Author,
        Byline,
        RelatedLink,
        Section,
        Tag,
    )

    sections = Section.objects.bulk_create(
        Section(name=f"Section {i}", slug=f"section-{i}", position=i) for i in range(12)
    )
    authors = Author.objects.bulk_create(
        Author(name=f"Writer {i}", slug=f"writer-{i}") for i in range(500)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"Topic {i}", slug=f"topic-{i}", key=f"topic {i}") for i in range(2000)
    )
    now = timezone.now()
    body = "<p>" + "The council met and voted on the budget. " * 80 + "</p>"
    articles = Article.objects.bulk_create(
        (
            Article(
                headline=f"Council votes on the budget, story {i}",
                slug=f"story-{i}",
                deck="A close vote after a long night.",
                body=body,
                section=sections[i % 12],
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(hours=i),
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    Byline.objects.bulk_create(
        (
            Byline(article=a, author=authors[(i * 7 + n) % 500], position=n)
            for i, a in enumerate(articles)
            for n in range(1 + i % 3)
        ),
        batch_size=2000,
    )
    ArticleTag.objects.bulk_create(
        (
            ArticleTag(content_object=a, tag=tags[(i * 13 + n * 101) % 2000])
            for i, a in enumerate(articles)
            for n in range(3)
        ),
        batch_size=2000,
    )
    story = articles[count // 2]
    Byline.objects.filter(article=story).delete()
    Byline.objects.bulk_create(
        Byline(article=story, author=authors[n], position=n) for n in range(8)
    )
    ArticleTag.objects.filter(content_object=story).delete()
    ArticleTag.objects.bulk_create(
        ArticleTag(content_object=story, tag=tags[n]) for n in range(20)
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=story, target=articles[n], kind=RelatedLink.Kind.PINNED, position=n
        )
        for n in range(10)
    )
    return story


def measure(story, requests):
    from django.contrib.auth.models import User
    from django.core.signals import request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # As a server with persistent connections does (CONN_MAX_AGE), and as
    # Django's test runner does: one connection for every request.
    request_started.disconnect(close_old_connections)
    client = Client()
    client.force_login(User.objects.create_superuser("bench", "", "x"))
    url = f"/admin/articles/article/{story.pk}/change/"
    assert client.get(url).status_code == 200  # warm: templates, caches
    connection.queries_log.clear()  # full (the build's), it would count nothing
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "cpu_ms": statistics.median(cpu),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "queries": count,
    }


def profile(story):
    import cProfile
    import pstats

    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    url = f"/admin/articles/article/{story.pk}/change/"
    with cProfile.Profile() as prof:
        for _ in range(5):
            client.get(url)
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django
    from django.conf import settings
    from django.db import connection

    django.setup()
    # The test client's host; templates render as they do in production
    # (no test instrumentation).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        story = build(args.articles)
        built = time.perf_counter() - started
        result = measure(story, args.requests)
        if args.profile:
            profile(story)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"{connection.vendor}, {args.articles:,} articles (built in {built:.0f} s): "
        f"change form median {result['median_ms']:.1f} ms "
        f"({result['cpu_ms']:.1f} ms CPU in this process), "
        f"p95 {result['p95_ms']:.1f} ms, {result['queries']} queries"
    )


if __name__ == "__main__":
    main()
