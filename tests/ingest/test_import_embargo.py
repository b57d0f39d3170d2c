"""ninjs `embargoed`: imported as the story's embargo, exported for staff only."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Article
from articles.ninjs import iso
from tests.factories import make_article
from tests.ingest.test_export_articles import export
from tests.ingest.test_import_articles import run_import
from tests.ninjs_schema import needs_schemas, schema_errors

pytestmark = pytest.mark.django_db


def ninjs_file(tmp_path, until, **fields):
    item = {
        "uri": "urn:example:ninjs2:results",
        "type": "text",
        "firstcreated": iso(timezone.now() - timedelta(hours=1)),
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": "Quarterly results"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Up.</p>"}],
        "by": "Eve Stone",
        "embargoed": iso(until),
        **fields,
    }
    path = tmp_path / "embargoed.jsonl"
    path.write_text(json.dumps(item) + "\n")
    return path


def test_an_embargoed_item_is_imported_under_embargo(client, tmp_path):
    until = (timezone.now() + timedelta(hours=4)).replace(microsecond=0)
    path = ninjs_file(tmp_path, until)
    ok, out, _ = run_import(path)
    assert ok, out
    article = Article.objects.get(source_uri="urn:example:ninjs2:results")
    assert article.embargoed_until == until
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == until  # it goes live when the embargo ends
    assert article.is_embargoed and not article.is_live
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Quarterly results" not in client.get("/").content.decode()
    # The same file again changes nothing.
    ok, out, _ = run_import(path)
    assert ok and "1 unchanged" in out


def test_an_item_whose_embargo_has_ended_is_live(client, tmp_path):
    until = (timezone.now() - timedelta(minutes=5)).replace(microsecond=0)
    ok, out, _ = run_import(ninjs_file(tmp_path, until))
    assert ok, out
    article = Article.objects.get(source_uri="urn:example:ninjs2:results")
    assert article.is_live
    assert client.get(article.get_absolute_url()).status_code == 200


def test_stories_without_an_embargo_keep_their_checksums(tmp_path):
    path = ninjs_file(tmp_path, None)
    ok, out, _ = run_import(path)
    assert ok and "1 created" in out
    assert Article.objects.get().embargoed_until is None
    ok, out, _ = run_import(path)
    assert ok and "1 unchanged" in out


def test_the_export_says_when_an_embargo_ends():
    until = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    draft = make_article(headline="Held draft", status="draft", published_at=None)
    publishing.embargo(draft, by=None, until=until)
    published = make_article(headline="Held story")
    publishing.embargo(published, by=None, until=until)
    items = {item["headlines"][0]["value"]: item for item in export()}
    assert items["Held draft"]["embargoed"] == iso(until)
    assert items["Held story"]["embargoed"] == iso(until)
    assert items["Held story"]["pubstatus"] == "usable"


@needs_schemas
def test_an_exported_embargo_is_valid_ninjs():
    story = make_article(headline="Held story")
    publishing.embargo(story, by=None, until=timezone.now() + timedelta(hours=2))
    (item,) = export()
    assert "embargoed" in item
    assert schema_errors(item) == []


def test_the_public_api_never_shows_an_embargoed_story(client):
    story = make_article(headline="Held story")
    publishing.embargo(story, by=None, until=timezone.now() + timedelta(hours=2))
    assert client.get(f"/api/articles/{story.pk}/").status_code == 404
    data = client.get("/api/articles/").json()
    assert data["count"] == 0
