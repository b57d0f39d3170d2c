"""The search page's SQL, statement by statement, with its query plans.

    NEWSROOM_PAGE_CACHE_SECONDS=0 python bench/search_plans.py [--runs N] [QUERY ...]

For each query (default: one of each shape, from rare words to words in most
articles, a negative word and a phrase) it asks the search page once through
Django's test client (once before, so that its story cards are kept, as a
page read again finds them), keeps the statements that read articles, and runs each
again `--runs` times under `EXPLAIN (ANALYZE, BUFFERS)`, then asks for the page
`--renders` more times. It prints one JSON object per query: per statement its
median execution and planning times, the shared buffers it touched (hit +
read) and the plan's nodes with the indexes they use; their totals; the
page's median wall and CPU milliseconds (in process: the CPU is this
process's, the Python side); and the first page of results (primary keys
and snippets), to compare two versions' results. The database is only read.
PostgreSQL only.
"""

import argparse
import json
import statistics
import time
from urllib.parse import urlencode

import in_process  # noqa: F401  (sets Django up first)

# isort: split
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.search import find_articles
from articles.search_results import result_cards

SHAPES = [
    "council housing",  # rare: a few hundred matches at 100,000 articles
    "cricket court",  # middle: about a tenth of the archive
    "police market",  # common: most of the archive
    "police -budget",  # a negative word
    '"council housing"',  # a phrase
]


def nodes(plan):
    name = plan["Node Type"]
    if "Index Name" in plan:
        name += f" {plan['Index Name']}"
    children = [nodes(child) for child in plan.get("Plans", [])]
    return name + (f" ({', '.join(children)})" if children else "")


def explain(cursor, sql, runs):
    times, planning, plan = [], [], None
    for _ in range(runs):
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        (result,) = cursor.fetchone()
        times.append(result[0]["Execution Time"])
        planning.append(result[0]["Planning Time"])
        plan = result[0]["Plan"]
    return {
        "ms": round(statistics.median(times), 2),
        "planning_ms": round(statistics.median(planning), 2),
        "buffers": plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0),
        "rows": plan["Actual Rows"],
        "plan": nodes(plan),
    }


def measure(client, query, runs, renders):
    path = "/search/?" + urlencode({"q": query})
    client.get(path)  # its cards kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{query}: {response.status_code}")
    queries = len(captured.captured_queries)
    statements = [
        q["sql"] for q in captured.captured_queries if "articles_article" in q["sql"]
    ]
    wall, cpu = [], []  # (each request empties the log of queries)
    for _ in range(renders):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    first_page = result_cards(find_articles(query)[0][:20], query)
    with connection.cursor() as cursor:
        explained = [explain(cursor, sql, runs) for sql in statements]
    return {
        "query": query,
        "queries": queries,
        "sql_ms": round(sum(e["ms"] for e in explained), 2),
        "planning_ms": round(sum(e["planning_ms"] for e in explained), 2),
        "statements": explained,
        "page_ms": round(statistics.median(wall or [0]), 2),
        "page_cpu_ms": round(statistics.median(cpu or [0]), 2),
        "first_page": [card.pk for card, _ in first_page],
        "snippets": [str(snippet) for _, snippet in first_page],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("queries", nargs="*", default=SHAPES)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (DATABASE_URL=postgres://...)")
    client = Client()
    client.get("/search/?q=warm")  # templates, connection, navigation cache
    for query in args.queries:
        print(json.dumps(measure(client, query, args.runs, args.renders)), flush=True)


if __name__ == "__main__":
    main()
