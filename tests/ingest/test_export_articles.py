"""export_articles writes valid ninjs 2.1 JSON Lines that import back unchanged."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Author, Byline, Image, Section, Tag
from tests.factories import make_article, make_author
from tests.ingest.test_import_articles import FIXTURES, authors_of, run_import
from tests.ninjs_schema import make_realistic_articles, needs_schemas, schema_errors


def export(**options):
    out = io.StringIO()
    call_command("export_articles", stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def snapshot():
    return {
        a.headline: (
            authors_of(a),
            sorted(a.tags.names()),
            a.published_at,
            a.status,
            a.deck,
            a.body,
            a.language,
            a.credit,
            picture_of(a),
        )
        for a in Article.objects.select_related("hero_image")
    }


def picture_of(article):
    image = article.hero_image
    if image is None:
        return None
    hrefs = [r["href"] for r in image.renditions if r["name"] != "original"]
    return (image.source_uri, image.alt, image.caption, image.credit, hrefs)


@pytest.mark.django_db
class TestExport:
    def test_writes_ninjs_2(self):
        article = make_article(
            headline="Exported",
            deck="The deck.",
            authors=[make_author(name="Ann Lee"), make_author(name="Bo Ek")],
            tags=["One", "Two"],
        )
        (item,) = export()
        assert item["uri"] == f"urn:newsroom:article:{article.pk}"
        assert item["headlines"] == [{"role": "main", "value": "Exported"}]
        assert item["by"] == "Ann Lee and Bo Ek"
        assert item["pubstatus"] == "usable"
        assert item["bodies"][0]["contenttype"] == "text/html"
        assert sorted(s["name"] for s in item["subjects"]) == ["One", "Two"]

    def test_since_limits_to_recent_changes(self):
        make_article(headline="Old")
        Article.objects.update(updated_at=timezone.now() - timedelta(days=10))
        make_article(headline="New")
        since = (timezone.now() - timedelta(days=1)).date().isoformat()
        assert [i["headlines"][0]["value"] for i in export(since=since)] == ["New"]


@needs_schemas
@pytest.mark.django_db
def test_every_line_validates_against_the_official_ninjs_schema():
    make_realistic_articles()
    make_article(headline="From a spreadsheet", source_uri="row 7 / sheet “Été”")
    items = export()
    assert len(items) == 7
    for item in items:
        assert schema_errors(item) == [], item["headlines"]
    assert {i["pubstatus"] for i in items} == {"usable", "withheld", "canceled"}


@pytest.mark.django_db
def test_a_scheduled_article_is_embargoed_until_it_goes_live():
    scheduled = make_realistic_articles()["scheduled"]
    (item,) = [i for i in export() if i["headlines"][0]["value"] == scheduled.headline]
    assert item["embargoed"] == item["firstcreated"]
    assert item["firstcreated"].startswith(scheduled.published_at.date().isoformat())


@pytest.mark.django_db(transaction=True)
def test_round_trip_of_a_realistic_newsroom(tmp_path):
    make_realistic_articles()
    make_article(headline="From a spreadsheet", source_uri="row 7 / sheet “Été”")
    before = snapshot()
    dump = tmp_path / "out.jsonl"
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    dump.write_text(out.getvalue())
    for model in (Byline, Article, Author, Tag, Section, Image):
        model.objects.all().delete()
    ok, _, err = run_import(dump)
    assert ok, err
    assert snapshot() == before
    assert Article.objects.get(headline="From a spreadsheet").source_uri == (
        "row 7 / sheet “Été”"
    )
    ok, out_text, _ = run_import(dump)
    assert f"{len(before)} unchanged" in out_text


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_database(tmp_path):
    run_import(
        *(
            FIXTURES / n
            for n in ("ninjs1_harbour.json", "ninjs2.jsonl", "wordpress.xml")
        )
    )
    make_article(
        headline="Written here",
        authors=[make_author(name="Zed Ames"), make_author(name="Al Bo")],
        tags=["Local"],
        status=Article.Status.DRAFT,
        published_at=None,
    )
    before = snapshot()
    dump = tmp_path / "out.jsonl"
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    dump.write_text(out.getvalue())

    with connection.cursor():
        for model in (Byline, Article, Author, Tag, Section):
            model.objects.all().delete()
    ok, _, err = run_import(dump)
    assert ok, err
    assert snapshot() == before
    ok, out_text, _ = run_import(dump)
    assert f"{len(before)} unchanged" in out_text
