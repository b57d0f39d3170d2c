"""The production topology through Varnish, side by side with the bare-WSGI ceiling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_stack \\
        python bench/edge.py --articles 10000 [--seconds 10] [--import 5000]

1. Fills DATABASE_URL's database (its name must contain "bench"; made if
   missing, kept afterwards) with the synthetic corpus (bench/corpus.py) up to
   `--articles`: only the articles it lacks are imported, so a later run at
   100,000 imports 90,000 more. Each run measures a copy of it (`<name>_run`,
   dropped at the end), so the archive stays at its size.
2. Starts the `make stack` topology on the copy (deploy/stack.py: two gunicorn
   app servers, an RQ worker, the scheduler, Varnish; Redis at
   BENCH_REDIS_URL, default redis://127.0.0.1:6379, databases 4 and 5).
3. wrk (2 threads, 32 connections, bench/paths.lua), `--seconds` each: the
   ceiling (bench/ceiling.py under gunicorn, 2 sync workers, as bench/run.py
   serves it, with a real article page); `--paths` random article paths
   through Varnish from a cold edge, then with every one cached (hit ratio
   from varnishstat's MAIN.cache_hit and MAIN.cache_miss around each run);
   the home page; the 100 most used tags' pages.
4. Purge to fresh while `--import` more articles are imported through the
   stack (their purges and follow-up tasks go to the same worker): updates the
   newest story's headline through the write path until the import is done
   (at least `--min-updates` times) and times, from each commit, the first
   page through Varnish that shows it, as bench/purge_latency.py does.

Prints the figures as JSON; progress goes to stderr.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.purge_latency import bench_stack, fetch, free_port  # noqa: E402
from bench.run import BENCH, GUNICORN  # noqa: E402
from deploy.stack import answers, wait_until  # noqa: E402

PY = sys.executable


def log(message):
    print(f"[edge {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def manage(env, *args, **kwargs):
    return subprocess.run(
        [PY, "manage.py", *map(str, args)], cwd=ROOT, env=env, check=True, **kwargs
    )


def bench_probe(env, *args):
    subprocess.run([PY, "bench/probe.py", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip


def corpus_file(folder, start, end):
    path = folder / f"corpus-{start}-{end}.jsonl"
    subprocess.run(
        [PY, "bench/generate_corpus.py", "--articles", str(end), "--offset",
         str(start), "--stories", "--output", str(path)],
        cwd=ROOT, check=True,
    )  # fmt: skip
    return path


def counters(stack):
    out = subprocess.run(
        ["varnishstat", "-n", str(stack.folder / "varnish"), "-1", "-j",
         "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = json.loads(out)
    found = found.get("counters", found)
    return found["MAIN.cache_hit"]["value"], found["MAIN.cache_miss"]["value"]


def load(url, paths, seconds, folder, name):
    """wrk, 2 threads and 32 connections, over `paths` in random order."""
    listing = folder / f"{name}.paths"
    listing.write_text("\n".join(paths) + "\n")
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--timeout", "10s",
         "--script", str(BENCH / "paths.lua"), url],
        env={**os.environ, "BENCH_PATHS": str(listing)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6))
    errors = result["non_2xx_3xx"] + result["timeouts"] + result["read_errors"]
    log(f"{name}: {result['rps']:,} req/s, p99 {result['p99_us'] / 1000:.1f} ms"
        f"{f', {errors} errors' if errors else ''}")  # fmt: skip
    return result


def settled(stack):
    """The counters once Varnish's threads have added theirs in (they do so
    when idle): two reads half a second apart that agree."""
    previous, current = None, counters(stack)
    while current != previous:
        time.sleep(0.5)
        previous, current = current, counters(stack)
    return current


def hit_ratio(stack, paths, seconds, folder, name):
    """Random article paths through Varnish, with its hits and misses meanwhile."""
    before = counters(stack)
    result = load(stack.url, paths, seconds, folder, f"article-{name}")
    hits, misses = (b - a for a, b in zip(before, settled(stack), strict=True))
    result.update(hits=hits, misses=misses, hit_ratio=round(hits / (hits + misses), 4))
    log(f"{len(paths):,} article paths, {name}: hit ratio {result['hit_ratio']:.2%}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--import", dest="more", type=int, default=5_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--paths", type=int, default=1_000, help="article paths")
    parser.add_argument("--min-updates", type=int, default=20)
    options = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres") or "bench" not in urlparse(database).path:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name has 'bench'.")
    import psycopg

    admin, name = database.rsplit("/", 1)
    copy = f"{name}_run"

    def sql(*statements):
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            for statement in statements:
                rows = conn.execute(statement)
            return rows.fetchall() if rows.description else []

    if not sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        sql(f'CREATE DATABASE "{name}"')
    folder = Path(tempfile.mkdtemp(prefix="newsroom-edge-bench-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "CACHE_URL", "TASKS_"))
    }
    env.update(
        DJANGO_SECRET_KEY="bench-" + uuid.uuid4().hex * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(folder / "media"),
    )
    # 1. The archive, in DATABASE_URL's database: imported with its follow-up
    # work done in the importer; nothing to purge. The run measures a copy.
    setup = {**env, "TASKS_BACKEND": "immediate"}
    manage(setup, "migrate", "--no-input", "-v0")
    bench_probe(setup, "sections")
    with psycopg.connect(database) as conn:
        have = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    if have < options.articles:
        path = corpus_file(folder, have, options.articles)
        started = time.monotonic()
        manage(setup, "import_articles", "--format", "ninjs", "-v0", path)
        log(f"imported {options.articles - have:,} articles in "
            f"{time.monotonic() - started:.0f} s")  # fmt: skip
        bench_probe(setup, "analyze")  # planner statistics, as after any bulk load
    sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)',
        f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')  # fmt: skip
    env["DATABASE_URL"] = f"{admin}/{copy}"
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
    stack = bench_stack(folder, env, redis)
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections
    from django.db.models import Count
    from django.urls import reverse

    from articles import publishing
    from articles.models import Article, Tag

    have = Article.objects.count()
    live = Article.objects.published()
    log(f"{have:,} articles, {live.count():,} live")
    cache.clear()

    rng = random.Random(1)
    ids = list(live.values_list("pk", flat=True))
    articles = [
        a.get_absolute_url()
        for a in Article.objects.filter(
            pk__in=rng.sample(ids, min(options.paths, len(ids)))
        )
    ]
    popular = Tag.objects.annotate(n=Count("article_items")).order_by("-n", "pk")
    tags = [
        reverse("articles:tag", args=[slug])
        for slug in popular.values_list("slug", flat=True)[:100]
    ]
    seconds = options.seconds
    results = {"articles": have}
    ceiling = None
    try:
        stack.start()
        settings.NEWSROOM_EDGE_PURGE = [{"KIND": "varnish", "URLS": [stack.url]}]
        edge = stack.url
        # 2. The ceiling: the median-sized of 15 real article pages.
        direct = f"http://127.0.0.1:{stack.web_ports[0]}"  # the edge stays cold
        pages = sorted((fetch(direct + p) for p in articles[:15]), key=len)
        (folder / "ceiling.html").write_bytes(pages[len(pages) // 2])
        port = free_port()
        ceiling = subprocess.Popen(
            [GUNICORN, "--workers", "2", "--worker-class", "sync", "--bind",
             f"127.0.0.1:{port}", "--log-level", "warning", "ceiling:application"],
            cwd=ROOT / "bench", start_new_session=True,
            env={**env, "BENCH_CEILING_HTML": str(folder / "ceiling.html")},
        )  # fmt: skip
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/"), "the ceiling")
        results["ceiling"] = load(
            f"http://127.0.0.1:{port}", ["/"], seconds, folder, "ceiling"
        )
        # 3. Random articles: from a cold edge, then with every path cached.
        results["article_cold"] = hit_ratio(stack, articles, seconds, folder, "cold")
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(fetch, (stack.url + p for p in articles)))
        results["article"] = hit_ratio(stack, articles, seconds, folder, "warm")
        for path in ["/", *tags]:
            fetch(stack.url + path)
        results["home"] = load(edge, ["/"], seconds, folder, "home")
        results["tag"] = load(edge, tags, seconds, folder, "tag")
        # 4. Purge to fresh while an import runs through the stack.
        story = live.order_by("-published_at").first()
        page = stack.url + story.get_absolute_url()
        path = corpus_file(folder, have, have + options.more)
        importing = subprocess.Popen(
            [PY, "manage.py", "import_articles", "--format", "ninjs", "-v0", str(path)],
            cwd=ROOT, env=stack.env,
        )  # fmt: skip
        latencies = []
        while importing.poll() is None or len(latencies) < options.min_updates:
            fetch(page)
            headline = f"Edge check {len(latencies) + 1} {uuid.uuid4().hex[:6]}"
            publishing.update(story, by=None, headline=headline)
            committed = time.monotonic()
            while headline.encode() not in fetch(page):
                time.sleep(0.005)
            latencies.append((time.monotonic() - committed) * 1000)
        if importing.wait():
            raise SystemExit("the import during the purge measure failed")
        latencies.sort()
        results["purge"] = {
            "updates": len(latencies),
            "p50_ms": round(statistics.median(latencies)),
            "p99_ms": round(
                latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            ),
            "worst_ms": round(latencies[-1]),
        }
        log(
            f"purge to fresh during a {options.more:,}-article import: "
            f"{results['purge']}"
        )
    finally:
        if ceiling:
            ceiling.terminate()
            ceiling.wait(timeout=30)
        stack.stop()
        connections.close_all()
        sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    ratio = {k: round(results[k]["rps"] / results["ceiling"]["rps"], 1)
             for k in ("article", "home", "tag")}  # fmt: skip
    print(json.dumps({**results, "vs_ceiling": ratio}, indent=1))


if __name__ == "__main__":
    main()
