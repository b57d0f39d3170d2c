"""Benchmark the importer: articles per second and peak memory (not a test).

    python bench/import_rate.py corpus.jsonl [--no-follow-up]

Runs the same loader as `manage.py import_articles` over a ninjs JSON Lines
file, into the database the settings name (DATABASE_URL): the articles are
loaded in batches, their search vectors deferred (PostgreSQL), and the
follow-up work they record (related links, search vectors, renditions) is
then done set-based, as a worker draining the queue does
(`tasks.finish_pending_work`). Prints one JSON line: the load's rate, the
follow-up's, both together, the SQL statements per batch, the load's CPU time
(this process's, the reading process's, and the database server's when it
runs on this host) and peak resident memory. See docs/benchmarks.md.

The follow-up step does all the work pending in the database: run it on an
archive whose own follow-up work is done, or it is counted here too.
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


class CountedLoader(Loader):
    """The loader, noting the statements and records of each batch."""

    def __init__(self, queries, **options):
        super().__init__(**options)
        self.queries = queries
        self.batches = []  # (records, statements)
        self._mark = (0, 0)

    def commit(self):
        super().commit()
        records, statements = self.result.total, self.queries.count
        if records > self._mark[0]:
            self.batches.append((records - self._mark[0], statements - self._mark[1]))
        self._mark = (records, statements)


def peak_rss_mb(who=resource.RUSAGE_SELF):
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_s(who=resource.RUSAGE_SELF):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def database_cpu_s():
    """The CPU time of the server process serving this connection, when it
    runs on this host (PostgreSQL, Linux), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rate(count, seconds):
    return round(count / seconds, 1) if seconds else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument(
        "--no-follow-up",
        "--no-related",
        action="store_true",
        help="Load only: leave related links and search vectors pending.",
    )
    args = parser.parse_args()
    if not args.path.is_file():
        parser.error(f"no file at {args.path}")
    queries = QueryCounter()
    # As `import_articles` runs it (articles/ingest/imports.py).
    loader = CountedLoader(queries, defer_search=True, read_ahead=True)
    source = Source(args.path)
    database_at_start = database_cpu_s()
    client_at_start = cpu_s()
    started = time.perf_counter()
    with connection.execute_wrapper(queries), source.open() as stream:
        try:
            loader.read(source, stream, "ninjs")
        except SourceError as exc:
            sys.exit(f"{args.path}: {exc.position or 'file'}: {exc.message}")
        loader.commit()
    loaded = time.perf_counter() - started
    client = cpu_s() - client_at_start
    database = database_cpu_s()
    if database is not None:
        database -= database_at_start
    rss_load = peak_rss_mb()
    follow_up, finished = 0.0, tasks.Finished()
    if not args.no_follow_up:
        started = time.perf_counter()
        finished = tasks.finish_pending_work()
        follow_up = time.perf_counter() - started
    result = loader.result
    full = [statements for records, statements in loader.batches[:-1]]
    figures = {
        "database": connection.vendor,
        "records": result.total,
        "created": result.created,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "load_s": round(loaded, 1),
        "load_per_s": rate(result.total, loaded),
        # The load's CPU: this process's, a process reading ahead
        # (articles/ingest/ahead.py), the database server's for the connection.
        "client_cpu_s": round(client, 2),
        "reader_cpu_s": round(cpu_s(resource.RUSAGE_CHILDREN), 2),
        "database_cpu_s": round(database, 2) if database is not None else None,
        "batches": len(loader.batches),
        "statements_per_batch": sorted(set(full)) or None,
        "statements_per_record": round(queries.count / result.total, 3)
        if result.total
        else None,
        "follow_up_s": round(follow_up, 1),
        "related": finished.related,
        "vectors": finished.vectors,
        "with_follow_up_per_s": rate(result.total, loaded + follow_up)
        if not args.no_follow_up
        else None,
        "peak_rss_mb_load": round(rss_load),
        "peak_rss_mb": round(peak_rss_mb()),
        "peak_rss_mb_reader": round(peak_rss_mb(resource.RUSAGE_CHILDREN)),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
