"""The benchmark's in-process side: run with the project's settings by bench/run.py.

    python bench/probe.py info
    python bench/probe.py sections          # the corpus's 12 sections, in order
    python bench/probe.py analyze           # planner statistics after an import
    python bench/probe.py paths --out DIR --seed S
    python bench/probe.py related --samples N --seed S --budget-s B

Every command prints one JSON object.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from articles import corpus  # noqa: E402
from articles.models import Article, Author, Section, Tag  # noqa: E402

# Two-word search queries: a topic and a word from the prose.
SEARCH_WORDS = ["council", "court", "housing", "police", "market", "workers"]


def info(args):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "engine": connection.vendor,
        "engine_version": version,
        "django": django.get_version(),
        "page_cache_switch": hasattr(settings, "NEWSROOM_PAGE_CACHE_SECONDS"),
        "cache_backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "conn_max_age": connection.settings_dict.get("CONN_MAX_AGE"),
        "debug": settings.DEBUG,
    }


def sections(args):
    for position, name in enumerate(corpus.SECTIONS):
        Section.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
    return {"sections": Section.objects.count()}


def analyze(args):
    start = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return {"seconds": round(time.perf_counter() - start, 2)}


def with_pages(rng, path, count, share=0.3, last=5):
    """`path`, or one of its pages 2..last for `share` of the time (if it has them)."""
    pages = min(last, (count - 1) // 20 + 1)
    if pages > 1 and rng.random() < share:
        return f"{path}?page={rng.randint(2, pages)}"
    return path


def paths(args):
    """URL path lists per URL class, from what is in the database."""
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    live = Article.objects.published()
    ids = list(live.order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(1000, len(ids)))
    articles = [
        a.get_absolute_url()
        for a in Article.objects.filter(pk__in=chosen).only("slug", "published_at")
    ]
    rng.shuffle(articles)
    section_rows = list(
        Section.objects.annotate(n=Count("articles")).values_list("slug", "n")
    )
    tag_rows = list(
        Tag.objects.annotate(n=Count("article_items"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("slug", "n")
    )
    # Half popular tags, half from the long tail.
    tags = tag_rows[:100] + rng.sample(tag_rows[100:], min(100, len(tag_rows[100:])))
    author_rows = list(
        Author.objects.annotate(n=Count("bylines"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("slug", "n")
    )
    topics = [t for t in corpus.TOPIC_WORDS if t.isalpha() and t.islower()]
    classes = {
        "article": articles,
        "home": [reverse("articles:home")],
        "section": [
            with_pages(rng, reverse("articles:section", args=[slug]), n)
            for slug, n in section_rows
            for _ in range(5)
        ],
        "tag": [
            with_pages(rng, reverse("articles:tag", args=[slug]), n) for slug, n in tags
        ],
        "author": [
            with_pages(rng, reverse("articles:author", args=[slug]), n)
            for slug, n in author_rows
        ],
        "search": [
            reverse("articles:search")
            + f"?q={rng.choice(topics)}+{rng.choice(SEARCH_WORDS)}"
            for _ in range(200)
        ],
    }
    try:
        classes["feed"] = [reverse("articles:feed")] + [
            reverse("articles:section_feed", args=[slug]) for slug, _ in section_rows
        ]
    except NoReverseMatch:
        classes["feed"] = ["/feed/"] + [f"/section/{s}/feed/" for s, _ in section_rows]
    for name, items in classes.items():
        (out / f"{name}.paths").write_text("\n".join(items) + "\n")
    top_author = author_rows[0] if author_rows else (None, 0)
    return {
        "classes": {name: len(items) for name, items in classes.items()},
        "articles": len(ids),
        "tags_used": len(tag_rows),
        "authors": len(author_rows),
        "top_author_articles": top_author[1],
        "top_tag_articles": tag_rows[0][1] if tag_rows else 0,
    }


def percentile(values, q):
    """Nearest-rank percentile of sorted `values`."""
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))]


def related(args):
    """Time the methods of `manage.py bench_related`, with p99 as well."""
    from articles.management.commands.bench_related import METHODS

    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(args.seed).sample(ids, min(args.samples, len(ids)))
    articles = list(Article.objects.filter(pk__in=chosen).order_by("pk"))
    result = {"articles": len(ids), "methods": {}}
    for name, method in METHODS.items():
        if articles:
            method(articles[0])  # warm the connection and caches
        spent, deadline = [], time.perf_counter() + args.budget_s
        for article in articles:
            start = time.perf_counter()
            method(article)
            spent.append((time.perf_counter() - start) * 1000)
            if time.perf_counter() > deadline:
                break
        spent.sort()
        result["methods"][name] = {
            "samples": len(spent),
            "p50_ms": round(statistics.median(spent), 2) if spent else None,
            "p90_ms": round(percentile(spent, 90), 2) if spent else None,
            "p99_ms": round(percentile(spent, 99), 2) if spent else None,
            "max_ms": round(spent[-1], 2) if spent else None,
        }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("info", "sections", "analyze"):
        commands.add_parser(name)
    p = commands.add_parser("paths")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p = commands.add_parser("related")
    p.add_argument("--samples", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--budget-s", type=float, default=60.0)
    args = parser.parse_args()
    handler = {
        "info": info,
        "sections": sections,
        "analyze": analyze,
        "paths": paths,
        "related": related,
    }[args.command]
    print(json.dumps(handler(args)))


if __name__ == "__main__":
    main()
