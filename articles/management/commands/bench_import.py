"""Benchmark the importer: articles per second and peak memory (not a test).

    python manage.py bench_import corpus.jsonl

Runs the same loader as import_articles over a ninjs JSON Lines file, into the
configured database, and prints the import rate, the related-links refresh
rate, the SQL queries per record and the process's peak resident memory. See
docs/benchmarks.md.
"""

import json
import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection

from articles.ingest.loader import Loader
from articles.ingest.sources import Source


class QueryCounter:
    """Counts the SQL statements the connection runs (an execute wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Import a ninjs JSON Lines corpus and report articles/s and peak RSS."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--no-related", action="store_true", help="Skip the related-links refresh."
        )

    def handle(self, *args, **options):
        loader = Loader()
        source = Source(options["path"])
        queries = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(queries), source.open() as stream:
            for item in source.records(stream, "ninjs"):
                loader.handle(item, source)
            loader.commit()
        imported = time.perf_counter() - started
        rss_import = peak_rss_mb()
        related = 0.0
        if not options["no_related"]:
            started = time.perf_counter()
            loader.refresh_related()
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
        self.stdout.write(json.dumps(figures))
