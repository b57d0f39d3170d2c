"""In-process render cost per page class, with the page cache off.

    NEWSROOM_PAGE_CACHE_SECONDS=0 python bench/render.py [--renders N] [--warm]
        [--profile FILE]

For each URL class (article, home, section, tag, author, search) it asks the
site through Django's test client (the whole middleware stack, no socket) for
`--renders` paths drawn (seeded) from what is in the database, and prints one
JSON object: per class the median and p90 milliseconds of wall time and of
this process's CPU time (the Python side of a render: on a loaded machine the
steadier figure; the database's own time is in its server) and the query
counts seen (min and max; constant is the goal). With `--profile FILE` the renders
run under cProfile and the statistics are written to FILE (`python -m pstats
FILE`). With `--warm` every path is rendered once before it is measured, so
what a process keeps between requests (story cards) is there: the steady
state of pages read again, where the default measures mostly first renders.
The database is only read.
"""

import argparse
import cProfile
import json
import random
import statistics
import time

import in_process  # noqa: F401  (sets Django up first)

# isort: split
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Author, Section, Tag

SEARCHES = ["council housing", "court ruling", "market workers", "police budget"]


def class_paths(rng, renders):
    live = Article.objects.published()
    ids = list(live.values_list("pk", flat=True).order_by("pk"))
    chosen = rng.sample(ids, min(renders, len(ids)))
    articles = [
        a.get_absolute_url()
        for a in Article.objects.filter(pk__in=chosen).only("slug", "published_at")
    ]
    sections = [s.get_absolute_url() for s in Section.objects.all()]
    tags = list(
        Tag.objects.annotate(n=Count("article_items"))
        .filter(n__gt=20)
        .order_by("-n", "pk")[:200]
    )
    authors = list(
        Author.objects.annotate(n=Count("bylines")).filter(n__gt=20).order_by("pk")
    )

    def pick(urls):
        return [rng.choice(urls) for _ in range(renders)] if urls else []

    return {
        "article": articles,
        "home": [reverse("articles:home")] * renders,
        "section": pick(sections),
        "tag": pick([t.get_absolute_url() for t in tags]),
        "author": pick([a.get_absolute_url() for a in authors]),
        "search": pick([f"{reverse('articles:search')}?q={q}" for q in SEARCHES]),
    }


def measure(client, paths):
    times, cpu, queries = [], [], []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - start_cpu) * 1000)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        queries.append(len(captured.captured_queries))
    times.sort()
    cpu.sort()
    return {
        "renders": len(times),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "cpu_p90_ms": round(cpu[int(len(cpu) * 0.9)], 2),
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9)], 2),
        "queries": [min(queries), max(queries)],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classes", default="article,home,section,tag,author,search")
    parser.add_argument("--warm", action="store_true", help="render each path first")
    parser.add_argument("--profile", help="write cProfile statistics here")
    args = parser.parse_args()
    classes = class_paths(random.Random(args.seed), args.renders)
    client = Client()
    wanted = args.classes.split(",")
    for name in wanted:  # warm up: templates compiled, connections open
        measure(client, classes[name] if args.warm else classes[name][:5])
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    results = {name: measure(client, classes[name]) for name in wanted}
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    results["articles"] = Article.objects.published().count()
    results["engine"] = connection.vendor
    print(json.dumps(results))


if __name__ == "__main__":
    main()
