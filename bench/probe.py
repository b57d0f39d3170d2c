"""The benchmark's in-process side: run with the project's settings by bench/run.py.

    python bench/probe.py info
    python bench/probe.py sections          # the corpus's 12 sections, in order
    python bench/probe.py analyze           # planner statistics after an import
    python bench/probe.py paths --out DIR --seed S
    python bench/probe.py related --samples N --seed S --budget-s B
    python bench/probe.py related-lists --sample FILE [--k 5]
    python bench/probe.py related-refresh --samples N --seed S [--chunk 500]
    python bench/probe.py plan-paths --plan FILE --out DIR
    python bench/probe.py urlmap

Every command prints one JSON object, except related-lists and urlmap, which
print JSON Lines. `related`, `related-lists`, `plan-paths` and `urlmap` keep the
contracts of the shared side-by-side harness (see docs/benchmarks.md).
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

from articles.freshness import bulk_writes  # noqa: E402
from articles.models import Article, Author, Section, Tag, tag_key  # noqa: E402
from articles.related import (  # noqa: E402
    CHUNK_FIELDS,
    SHOWN,
    BulkRefresh,
    refresh_related,
)
from articles.related_pages import related_for_page  # noqa: E402
from bench import corpus  # noqa: E402

# Two-word search queries: a topic and a word from the prose.
SEARCH_WORDS = ["council", "court", "housing", "police", "market", "workers"]
# Related-link work, timed by `related`:
#   stored_read             what an article page pays: reading the stored links
#   compute                 scoring and storing one article's links (on write)
#   taggit_similar_objects  taggit's own `similar_objects()`, as a baseline
RELATED_METHODS = {
    "stored_read": related_for_page,
    "compute": refresh_related,
    "taggit_similar_objects": lambda article: article.tags.similar_objects()[:SHOWN],
}
# The related-link lists `related-lists` prints, scored against the corpus.
RELATED_LISTS = {
    "stored": lambda article, k: related_for_page(article)[:k],
    "taggit_similar_objects": lambda article, k: article.tags.similar_objects()[:k],
}


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
    """Time the related-link methods on sampled published articles."""
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(args.seed).sample(ids, min(args.samples, len(ids)))
    articles = list(Article.objects.filter(pk__in=chosen).order_by("pk"))
    result = {"articles": len(ids), "methods": {}}
    for name, method in RELATED_METHODS.items():
        if articles:
            method(articles[0])  # warm the connection and caches
        spent, cpu, deadline = [], [], time.perf_counter() + args.budget_s
        for article in articles:
            start, start_cpu = time.perf_counter(), time.process_time()
            method(article)
            spent.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            if time.perf_counter() > deadline:
                break
        spent.sort()
        cpu.sort()
        median = round(statistics.median(spent), 2) if spent else None
        result["methods"][name] = {
            "samples": len(spent),
            "p50_ms": median,
            "median_ms": median,  # the name the shared harness reads
            "p90_ms": round(percentile(spent, 90), 2) if spent else None,
            "p99_ms": round(percentile(spent, 99), 2) if spent else None,
            "max_ms": round(spent[-1], 2) if spent else None,
            # This process's CPU time (SQLite's work included, a PostgreSQL
            # server's not): steadier than wall time on a busy machine.
            "cpu_p50_ms": round(statistics.median(cpu), 2) if cpu else None,
            "cpu_p90_ms": round(percentile(cpu, 90), 2) if cpu else None,
        }
    return result


def related_refresh(args):
    """Time what `manage.py refresh_related` does, on N sampled published
    articles in chunks (in pk order, as the command): the whole archive's
    time is about its per-article time times the archive."""
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = sorted(random.Random(args.seed).sample(ids, min(args.samples, len(ids))))
    queries = []
    start, start_cpu = time.perf_counter(), time.process_time()
    refresh = BulkRefresh()
    with (
        bulk_writes(),
        connection.execute_wrapper(lambda run, *a: queries.append(1) or run(*a)),
    ):
        for i in range(0, len(chosen), args.chunk):
            chunk = chosen[i : i + args.chunk]
            refresh.refresh(Article.objects.filter(pk__in=chunk).only(*CHUNK_FIELDS))
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {
        "articles": len(ids),
        "refreshed": len(chosen),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "ms_per_article": round(seconds * 1000 / max(len(chosen), 1), 2),
        "queries": len(queries),
        "estimate_all_s": round(seconds / max(len(chosen), 1) * len(ids)),
    }


def source_uris(articles):
    """The articles' source URIs, in order (page links load only card fields)."""
    uris = dict(
        Article.objects.filter(pk__in=[a.pk for a in articles]).values_list(
            "pk", "source_uri"
        )
    )
    return [uris[a.pk] for a in articles]


def related_lists(args):
    """{"method", "uri", "related": [uri, ...]} for each sampled article."""
    uris = json.loads(Path(args.sample).read_text())["articles"]
    for article in Article.objects.published().filter(source_uri__in=uris):
        for method, related in RELATED_LISTS.items():
            yield {
                "method": method,
                "uri": article.source_uri,
                "related": source_uris(related(article, args.k)),
            }


def plan_paths(args):
    """Write a plan's URL paths, one a line, to OUT/{articles,tags,home}.paths.

    The plan is {"articles": [uri, ...], "tags": [{"name", "page"}, ...]}.
    """
    plan = json.loads(Path(args.plan).read_text())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    live = Article.objects.published().filter(source_uri__in=plan["articles"])
    by_uri = {
        a.source_uri: a.get_absolute_url()
        for a in live.only("slug", "published_at", "source_uri")
    }
    articles = [by_uri[uri] for uri in plan["articles"] if uri in by_uri]
    slugs = dict(
        Tag.objects.filter(
            key__in={tag_key(t["name"]) for t in plan["tags"]}
        ).values_list("key", "slug")
    )
    tags = []
    for entry in plan["tags"]:
        slug = slugs.get(tag_key(entry["name"]))
        if slug:
            page = int(entry.get("page", 1))
            path = reverse("articles:tag", args=[slug])
            tags.append(path + (f"?page={page}" if page > 1 else ""))
    (out / "articles.paths").write_text("\n".join(articles) + "\n")
    (out / "tags.paths").write_text("\n".join(tags) + "\n")
    (out / "home.paths").write_text(reverse("articles:home") + "\n")
    return {
        "articles": len(articles),
        "missing_articles": len(plan["articles"]) - len(articles),
        "tags": len(tags),
        "missing_tags": len(plan["tags"]) - len(tags),
    }


def urlmap(args):
    """{"uri", "path"} for every live imported article."""
    live = (
        Article.objects.published()
        .exclude(source_uri=None)
        .only("slug", "published_at", "source_uri")
        .order_by("pk")
    )
    for article in live.iterator(chunk_size=2000):
        yield {"uri": article.source_uri, "path": article.get_absolute_url()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("info", "sections", "analyze", "urlmap"):
        commands.add_parser(name)
    p = commands.add_parser("paths")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p = commands.add_parser("related")
    p.add_argument("--samples", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--budget-s", type=float, default=60.0)
    p = commands.add_parser("related-refresh")
    p.add_argument("--samples", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk", type=int, default=500)
    p = commands.add_parser("related-lists")
    p.add_argument("--sample", required=True)
    p.add_argument("--k", type=int, default=5)
    p = commands.add_parser("plan-paths")
    p.add_argument("--plan", required=True)
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    handler = {
        "info": info,
        "sections": sections,
        "analyze": analyze,
        "paths": paths,
        "related": related,
        "related-refresh": related_refresh,
        "related-lists": related_lists,
        "plan-paths": plan_paths,
        "urlmap": urlmap,
    }[args.command]
    result = handler(args)
    if isinstance(result, dict):
        print(json.dumps(result))
    else:
        for line in result:
            print(json.dumps(line))


if __name__ == "__main__":
    main()
