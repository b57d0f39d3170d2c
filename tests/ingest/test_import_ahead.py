"""A file the import command reads ahead in a second process (PostgreSQL,
ahead.py) loads as one read in the import's own process: the same rows, the
same report of a bad file, and a stopped import leaves whole batches only and
no process behind. Imports run elsewhere (wire polls, in task workers) start
no process."""

import json
import multiprocessing
import os
import signal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.ingest import ahead
from articles.ingest.ahead import can_read_ahead
from articles.ingest.batches import Loader
from articles.ingest.imports import import_paths
from articles.ingest.sources import Source
from articles.models import Article, Revision
from tests.ingest.test_import_articles import run_import
from tests.ingest.test_import_bulk import shapes, stored_rows, write_corpus

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="read ahead on PostgreSQL only"
)


@pytest.fixture
def ahead_for_any_size(monkeypatch):
    """Read small files ahead too (a file under a megabyte is read in process)."""
    monkeypatch.setattr(ahead, "MIN_BYTES", 0)


def load(path):
    loader = Loader(read_ahead=True)
    source = Source(path)
    with source.open() as stream:
        loader.read(source, stream, "ninjs")
    loader.commit()
    return loader.result


def ninjs_array(path, count, *, tail=""):
    """A JSON array of `count` stories, then `tail` (to cut it short)."""
    items = (
        json.dumps(
            {
                "uri": f"urn:array:{n}",
                "headline": f"Ferry timetable {n}",
                "body_html": f"<p>Sailing {n}.</p>",
                "authors": [{"name": "Ann Writer"}],
                "versioncreated": "2025-03-01T10:00:00Z",
            }
        )
        for n in range(count)
    )
    path.write_text("[" + ",\n".join(items) + tail)
    return path


def test_on_sqlite_or_for_a_small_file_the_import_reads_in_its_own_process(
    tmp_path,
):
    source = Source(write_corpus(tmp_path / "small.jsonl", range(3)))
    assert not can_read_ahead(source, "ninjs")


@on_postgresql
def test_a_large_file_is_read_ahead_and_scraped_text_never(tmp_path):
    source = Source(ninjs_array(tmp_path / "large.json", 6000))
    assert source.path.stat().st_size > ahead.MIN_BYTES
    assert can_read_ahead(source, "ninjs")
    assert not can_read_ahead(source, "text")  # its parser asks for known tags


@on_postgresql
@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs two cores to take one away",
)
def test_on_one_core_the_import_reads_in_its_own_process(tmp_path):
    source = Source(ninjs_array(tmp_path / "large.json", 6000))
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert not can_read_ahead(source, "ninjs")
    finally:
        os.sched_setaffinity(0, allowed)
    assert can_read_ahead(source, "ninjs")


@on_postgresql
def test_read_ahead_stores_the_rows_reading_in_process_stores(tmp_path, monkeypatch):
    # The section, authors and tags exist, as in a running newsroom (their ids
    # are in the stored checksums).
    load(write_corpus(tmp_path / "first.jsonl", range(12), prefix="urn:first"))
    # Four batches (100, 200, 400, 800) and part of a fifth, in chunks of 1,000.
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(1600))
    monkeypatch.setattr(ahead, "MIN_BYTES", float("inf"))
    with transaction.atomic():
        in_process = load(corpus)
        rows = stored_rows()
        transaction.set_rollback(True)
    assert Article.objects.count() == 12

    monkeypatch.setattr(ahead, "MIN_BYTES", 0)
    result = load(corpus)
    assert (result.created, result.failed) == (in_process.created, 0) == (1600, 0)
    assert stored_rows() == rows
    assert multiprocessing.active_children() == []


@on_postgresql
def test_a_batch_read_ahead_takes_the_queries_of_one_read_in_process(
    tmp_path, monkeypatch
):
    write = write_corpus
    load(write(tmp_path / "first.jsonl", range(12), prefix="urn:first"))
    statements = []
    for min_bytes, prefix in [(float("inf"), "urn:here"), (0, "urn:ahead")]:
        monkeypatch.setattr(ahead, "MIN_BYTES", min_bytes)
        corpus = write(tmp_path / f"{prefix}.jsonl", range(90), prefix=prefix)
        with CaptureQueriesContext(connection) as queries:
            assert load(corpus).created == 90  # one batch
        statements.append(shapes(queries))
    assert statements[0] == statements[1]


@on_postgresql
@pytest.mark.parametrize("read_ahead", [False, True])
def test_a_file_cut_short_is_reported_after_loading_the_stories_before_it(
    tmp_path, monkeypatch, read_ahead
):
    monkeypatch.setattr(ahead, "MIN_BYTES", 0 if read_ahead else float("inf"))
    cut = ',\n{"uri": "urn:array:x", "he'
    path = ninjs_array(tmp_path / "cut.json", 1250, tail=cut)
    ok, _, err = run_import(path, format="ninjs")
    assert not ok
    assert "cut.json" in err and "item 1251" in err and "not valid JSON" in err
    assert Article.objects.count() == 1250
    assert Revision.objects.count() == 1250
    assert multiprocessing.active_children() == []


@on_postgresql
def test_an_import_stopped_in_a_later_batch_keeps_whole_batches_only(
    tmp_path, ahead_for_any_size
):
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(2000))
    read = []

    def stop_at_1600(item):  # Ctrl-C as the fifth batch fills
        read.append(item)
        if len(read) == 1600:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_paths([corpus], format="ninjs", on_read=stop_at_1600, read_ahead=True)

    # The first four batches (100 + 200 + 400 + 800), each article whole.
    assert Article.objects.count() == 1500
    for article in Article.objects.prefetch_related("bylines", "revisions"):
        assert article.bylines.all() and article.revisions.all()
    assert multiprocessing.active_children() == []

    # Run again, the import loads the rest.
    result = import_paths([corpus], format="ninjs")
    assert (result.created, result.unchanged) == (500, 1500)


@on_postgresql
@pytest.mark.parametrize("read_ahead", [False, True])
def test_only_the_import_command_reads_in_a_second_process(
    tmp_path, ahead_for_any_size, read_ahead
):
    # More than the reader may hold ahead: it is there as the first is loaded.
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(2000))
    children = []

    def note_children(item):
        children.append(len(multiprocessing.active_children()))

    result = import_paths(
        [corpus], format="ninjs", on_read=note_children, read_ahead=read_ahead
    )
    assert result.created == 2000
    assert children[0] == (1 if read_ahead else 0)
    assert set(children) <= ({0, 1} if read_ahead else {0})
    assert multiprocessing.active_children() == []


@on_postgresql
def test_a_reader_killed_midway_is_reported_and_a_rerun_completes_the_import(
    tmp_path, ahead_for_any_size
):
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(3000))
    read = []

    def kill_the_reader_at_200(item):
        read.append(item)
        if len(read) == 200:
            [reader] = multiprocessing.active_children()
            os.kill(reader.pid, signal.SIGKILL)

    result = import_paths(
        [corpus], format="ninjs", on_read=kill_the_reader_at_200, read_ahead=True
    )
    [failure] = result.failures
    assert "the reading process stopped" in failure.message
    assert 200 <= Article.objects.count() < 3000
    for article in Article.objects.prefetch_related("bylines", "revisions"):
        assert article.bylines.all() and article.revisions.all()
    assert multiprocessing.active_children() == []

    again = import_paths([corpus], format="ninjs", read_ahead=True)
    assert again.created + again.unchanged == 3000 and not again.failures


@on_postgresql
def test_a_reader_killed_halfway_through_a_chunk_is_an_error_not_a_wait(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(3000))
    source = Source(corpus)
    with source.open() as stream, ahead.ReadAhead(source, stream, "ninjs") as items:
        # A chunk is far more than a pipe holds: once its first bytes are
        # there, the reader is blocked halfway through sending it.
        assert items._receiving.poll(timeout=30)
        os.kill(items._process.pid, signal.SIGKILL)
        with pytest.raises(OSError, match="the reading process stopped"):
            list(items)
    assert multiprocessing.active_children() == []
