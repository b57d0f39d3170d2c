"""Benchmark the importer: articles per second and peak memory (not a test).

    python bench/import_rate.py corpus.jsonl [--no-related]

Runs the same loader as `manage.py import_articles` over a ninjs JSON Lines
file, into the database the settings name (DATABASE_URL), and prints one JSON
line: the import rate, the related-links refresh rate, the SQL queries per
record and the process's peak resident memory. See docs/benchmarks.md.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from articles import tasks  # noqa: E402
from articles.ingest.batches import Loader  # noqa: E402
from articles.ingest.records import SourceError  # noqa: E402
from articles.ingest.sources import Source  # noqa: E402


class QueryCounter:
    """Counts the SQL statements the connection runs (an execute wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument(
        "--no-related", action="store_true", help="Skip the related-links refresh."
    )
    args = parser.parse_args()
    if not args.path.is_file():
        parser.error(f"no file at {args.path}")
    loader = Loader()
    source = Source(args.path)
    queries = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(queries), source.open() as stream:
        try:
            for item in source.records(stream, "ninjs"):
                loader.handle(item, source)
        except SourceError as exc:
            sys.exit(f"{args.path}: {exc.position or 'file'}: {exc.message}")
        loader.commit()
    imported = time.perf_counter() - started
    rss_import = peak_rss_mb()
    related = 0.0
    if not args.no_related:
        started = time.perf_counter()
        tasks.finish_related()
        related = time.perf_counter() - started
    result = loader.result
    touched = len(result.touched)
    figures = {
        "database": connection.vendor,
        "records": result.total,
        "created": result.created,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "import_s": round(imported, 1),
        "import_per_s": round(result.total / imported, 1) if imported else None,
        "queries_per_record": round(queries.count / result.total, 2)
        if result.total
        else None,
        "related_s": round(related, 1),
        "related_per_s": round(touched / related, 1) if related else None,
        "peak_rss_mb_import": round(rss_import),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
