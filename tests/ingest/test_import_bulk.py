"""The bulk path of a batch (new articles, their bylines, tags, revisions and
follow-up records, each written in one round trip) writes what the
one-by-one path writes, in a number of queries that does not grow with the
batch."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import sanitize
from articles.ingest import batches
from articles.ingest.batches import Loader
from articles.ingest.sources import Source
from articles.models import (
    Article,
    ArticleTag,
    Author,
    Byline,
    PendingWork,
    Revision,
)

pytestmark = pytest.mark.django_db


def write_corpus(path, numbers, *, prefix="urn:bulk", headline="Harbour story"):
    items = [
        {
            "uri": f"{prefix}:{n}",
            "headline": f"{headline} {n}",
            "description_text": f"What happened at the harbour, part {n}.",
            "body_html": f"<p>Paragraph {n}.</p><p>And <em>another</em>.</p>",
            "authors": [{"name": ["Ann Writer", "Bo Reporter", "Cy Editor"][n % 3]}]
            + ([{"name": "Dee Walker"}] if n % 4 == 0 else []),
            "subjects": [{"name": f"Topic {n % 5}"}, {"name": "Harbour"}],
            "genres": [{"name": "News"}],
            "versioncreated": f"2025-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
            "pubstatus": "usable",
        }
        for n in numbers
    ]
    path.write_text("\n".join(json.dumps(item) for item in items))
    return path


def load(path):
    loader = Loader()
    source = Source(path)
    with source.open() as stream:
        for item in source.records(stream, "ninjs"):
            loader.handle(item, source)
    loader.commit()
    return loader.result


def stored_rows():
    """What an import wrote, without ids and clock times."""
    articles = {
        a["source_uri"]: a
        for a in Article.objects.values(
            "source_uri",
            "headline",
            "slug",
            "deck",
            "body",
            "status",
            "published_at",
            "published_date_only",
            "section__slug",
            "credit",
            "version",
            "source_checksum",
        )
    }
    bylines = sorted(
        Byline.objects.values_list("article__source_uri", "author__name", "position")
    )
    tags = sorted(
        ArticleTag.objects.values_list("content_object__source_uri", "tag__name")
    )
    revisions = sorted(
        (uri, number, note, {k: v for k, v in data.items() if k != "authors"})
        for uri, number, note, data in Revision.objects.values_list(
            "article__source_uri", "number", "note", "data"
        )
    )
    authors = sorted(
        (uri, [a["name"] for a in data["authors"]])
        for uri, data in Revision.objects.values_list("article__source_uri", "data")
    )
    work = sorted(
        PendingWork.objects.values_list("kind", "article__source_uri", "image_id")
    )
    return articles, bylines, tags, revisions, authors, work


def test_bulk_import_writes_the_rows_the_one_by_one_path_writes(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(40))
    result = load(corpus)
    assert result.created == 40 and result.failed == 0
    in_bulk = stored_rows()
    assert len(in_bulk[1]) == 50  # 40 bylines, and a second author on 10
    assert len(in_bulk[2]) == 80

    Article.objects.all().delete()  # authors and tags stay, as in a re-import
    monkeypatch.setattr(batches, "create_in_bulk", lambda run, records, known: {})
    result = load(corpus)
    assert result.created == 40 and result.failed == 0

    assert stored_rows() == in_bulk


def test_a_reimport_after_a_bulk_import_is_unchanged(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(30))
    load(corpus)
    result = load(corpus)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 30)


def test_a_batch_of_new_articles_takes_the_same_queries_whatever_its_size(tmp_path):
    # The authors and tags exist already, as in a running newsroom.
    load(
        write_corpus(
            tmp_path / "first.jsonl", range(12), prefix="urn:first", headline="Earlier"
        )
    )
    statements = []
    for size, prefix in [(20, "urn:small"), (90, "urn:large")]:
        corpus = write_corpus(
            tmp_path / f"{size}.jsonl", range(size), prefix=prefix, headline=prefix
        )
        with CaptureQueriesContext(connection) as queries:
            result = load(corpus)  # one batch: the first holds up to 100
        assert result.created == size
        statements.append(shapes(queries))
    # Bylines, tags, headline words (related links), revisions and follow-up
    # records: one statement each.
    assert statements[0] == statements[1]
    assert len(statements[1]) <= 22  # with the batch's purge records


def shapes(queries):
    """The statements run, in order, without savepoint names and values, a
    statement repeated back to back counted once (SQLite's INSERT of articles
    is split by its limit on parameters)."""
    found = []
    for query in queries:
        sql = re.sub(r"^\d+ times: ", "", query["sql"])
        sql = re.sub(r'SAVEPOINT "\w+"', "SAVEPOINT", sql)
        sql = re.sub(r"\d+", "N", sql)[:100]  # the statement, not its values
        if not found or found[-1] != sql:
            found.append(sql)
    return found


def with_authors(path, names_of):
    """Rewrite the corpus at `path`, record n bylined to `names_of(n)`."""
    items = [json.loads(line) for line in path.read_text().splitlines()]
    for n, item in enumerate(items):
        item["authors"] = [{"name": name} for name in names_of(n)]
    path.write_text("\n".join(json.dumps(item) for item in items))
    return path


def test_a_batch_creates_its_new_authors_in_the_same_queries_however_many(tmp_path):
    load(write_corpus(tmp_path / "first.jsonl", range(5), prefix="urn:first"))
    statements = []
    for count, first in [(2, 1000), (30, 2000)]:
        corpus = with_authors(
            write_corpus(tmp_path / f"{first}.jsonl", range(60), prefix=f"urn:{first}"),
            lambda n, count=count, first=first: [f"Writer {first + n % count}"],
        )
        with CaptureQueriesContext(connection) as queries:
            result = load(corpus)
        assert result.created == 60 and result.failed == 0
        statements.append(shapes(queries))
        assert (
            Author.objects.filter(name__startswith=f"Writer {first // 1000}").count()
            == count
        )
    assert statements[0] == statements[1]


def test_new_authors_of_a_batch_are_matched_whatever_their_case_and_get_free_slugs(
    tmp_path,
):
    taken = Author.objects.create(name="Someone Else", slug="eva-lind")
    corpus = with_authors(
        write_corpus(tmp_path / "corpus.jsonl", range(3)),
        lambda n: [["Eva Lind", "EVA LIND", "eva lind"][n], "Ann Writer"],
    )
    result = load(corpus)
    assert result.created == 3
    eva = Author.objects.get(name__iexact="eva lind", slug__startswith="eva-lind-")
    assert (eva.name, eva.slug) == ("Eva Lind", "eva-lind-2")
    assert Byline.objects.filter(author=eva).count() == 3
    assert Byline.objects.filter(author=taken).count() == 0
    assert Author.objects.filter(name__iexact="ann writer").count() == 1


def test_a_bad_record_in_a_batch_fails_alone_and_leaves_no_trace(tmp_path):
    corpus = with_authors(
        write_corpus(tmp_path / "corpus.jsonl", range(20)),
        lambda n: ["x" * 201] if n == 7 else [f"Writer {n % 4}"],
    )
    result = load(corpus)
    assert (result.created, result.failed) == (19, 1)
    assert "author name is 201 characters" in str(result.failures)
    assert not Article.objects.filter(source_uri="urn:bulk:7").exists()
    assert not Author.objects.filter(name__startswith="xxx").exists()
    assert Article.objects.count() == 19
    assert Revision.objects.count() == 19
    assert Byline.objects.count() == 19

    result = load(corpus)  # idempotent: the good ones unchanged, the bad one again
    assert (result.created, result.unchanged, result.failed) == (0, 19, 1)
    assert Article.objects.count() == 19


def test_an_author_with_letters_beyond_ascii_is_found_again_not_duplicated(tmp_path):
    first = with_authors(
        write_corpus(tmp_path / "first.jsonl", range(2), prefix="urn:first"),
        lambda n: ["Laura Wides-Muñoz", "richard pérez-peña"][n : n + 1],
    )
    load(first)
    later = with_authors(
        write_corpus(tmp_path / "later.jsonl", range(2), prefix="urn:later"),
        lambda n: ["Laura Wides-Muñoz", "Richard Pérez-Peña"][n : n + 1],
    )
    assert load(later).created == 2
    assert sorted(Author.objects.values_list("name", flat=True)) == [
        "Laura Wides-Muñoz",
        "richard pérez-peña",
    ]


class CountingCleaner:
    """The HTML sanitizer, counting its passes."""

    def __init__(self, cleaner):
        self.cleaner, self.passes = cleaner, 0

    def clean(self, html):
        self.passes += 1
        return self.cleaner.clean(html)


@pytest.mark.parametrize("in_bulk", [True, False])
def test_an_imported_body_is_sanitized_once_and_stored_clean(
    tmp_path, monkeypatch, in_bulk
):
    # Clean bodies take one pass each, whichever path writes them: neither the
    # draft rule nor the write path's check sanitizes them again.
    cleaner = CountingCleaner(sanitize._cleaner)
    monkeypatch.setattr(sanitize, "_cleaner", cleaner)
    if not in_bulk:
        monkeypatch.setattr(batches, "create_in_bulk", lambda run, records, known: {})
    result = load(write_corpus(tmp_path / "corpus.jsonl", range(12)))
    assert result.created == 12
    assert cleaner.passes == 12

    # A body that needs cleaning is stored clean; one with nothing left after
    # cleaning is still held back as a draft.
    bodies = {
        "urn:dirty:1": '<p onclick="x()">Kept<script>gone()</script></p>',
        "urn:dirty:2": "<script>only()</script>",
    }
    path = tmp_path / "dirty.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"uri": uri, "headline": "Dirty", "body_html": body})
            for uri, body in bodies.items()
        )
    )
    result = load(path)
    kept, empty = (Article.objects.get(source_uri=uri) for uri in bodies)
    assert kept.body == "<p>Kept</p>" and kept.is_live
    assert empty.body == "" and empty.status == Article.Status.DRAFT
    assert any("no body" in w.message for w in result.warnings)
