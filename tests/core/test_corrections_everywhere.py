"""A correction reaches every surface: JSON-LD, feeds, the ninjs API and export."""

import io
import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.feedgenerator import rfc3339_date

from articles import publishing
from articles.ingest.ninjs import deck_of
from articles.models import Article, Correction
from tests.factories import make_article, make_section
from tests.ingest.test_import_articles import run_import
from tests.ninjs_schema import needs_schemas, schema_errors

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def iso_z(value):
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture
def story(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article = make_article(
        headline="Council spends £2m",
        slug="council-spends",
        section=make_section(name="World", slug="world"),
        published_at=timezone.now() - timedelta(days=2),
    )
    # Last saved long ago: only the correction can move its times.
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.now() - timedelta(days=2)
    )
    article.refresh_from_db()
    return article


@pytest.fixture
def corrected(story):
    publishing.correct(story, by=None, text="The sum was £2m, not £20m.")
    publishing.correct(
        story, by=None, text="The vote is on Tuesday.", kind="clarification"
    )
    story.refresh_from_db()
    return story


class TestJsonLd:
    def test_each_note_is_a_correction_comment(self, client, corrected):
        data = json_ld(client.get(corrected.get_absolute_url()).content.decode())
        newest, oldest = Correction.objects.order_by("-created_at")
        assert data["correction"] == [
            {
                "@type": "CorrectionComment",
                "name": "Clarification",
                "text": "The vote is on Tuesday.",
                "datePublished": newest.created_at.isoformat(),
            },
            {
                "@type": "CorrectionComment",
                "name": "Correction",
                "text": "The sum was £2m, not £20m.",
                "datePublished": oldest.created_at.isoformat(),
            },
        ]
        assert data["dateModified"] == corrected.public_updated_at.isoformat()

    def test_an_article_never_corrected_has_none(self, client, story):
        data = json_ld(client.get(story.get_absolute_url()).content.decode())
        assert "correction" not in data

    def test_the_page_reads_its_corrections_once(
        self, client, corrected, django_assert_num_queries
    ):
        client.get("/")  # the navigation cached
        # The article with its section, bylines, tags and corrections, and
        # its related links.
        with django_assert_num_queries(5):
            response = client.get(corrected.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count("The vote is on Tuesday.") == 2


class TestFeeds:
    def test_atom_updated_moves_and_the_entry_shows_the_note(self, client, story):
        before = feedparser.parse(client.get("/feed/atom/").content).entries[0]
        publishing.correct(story, by=None, text="The sum was £2m, not £20m.")
        story.refresh_from_db()
        feed = feedparser.parse(client.get("/feed/atom/").content)
        assert not feed.bozo, feed.bozo_exception
        (entry,) = feed.entries
        assert entry.updated_parsed > before.updated_parsed
        assert entry.updated == rfc3339_date(story.public_updated_at)
        content = entry.content[0].value
        assert "<strong>Correction</strong>" in content
        assert "The sum was £2m, not £20m." in content

    def test_rss_says_when_the_item_was_modified(self, client, corrected):
        response = client.get("/section/world/feed/")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        (entry,) = feed.entries
        modified = f"{corrected.public_updated_at:%Y-%m-%dT%H:%M:%S}"
        assert f"<dcterms:modified>{modified}" in response.content.decode()
        assert "The vote is on Tuesday." in entry.content[0].value

    def test_a_note_with_markup_stays_text(self, client, story):
        publishing.correct(story, by=None, text="Not <b>bold</b> & fine")
        response = client.get("/feed/")
        assert not feedparser.parse(response.content).bozo
        assert "Not &lt;b&gt;bold&lt;/b&gt; &amp; fine" in (
            feedparser.parse(response.content).entries[0].content[0].value
        )

    @pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
    def test_corrections_cost_one_query_whatever_the_items(
        self, client, story, url, django_assert_num_queries
    ):
        for _ in range(3):
            publishing.correct(make_article(), by=None, text="Fixed.")
        client.get("/")  # the navigation cached
        # Articles, bylines, tags, corrections.
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200


class TestNinjs:
    def test_the_api_carries_the_notes_and_a_new_version_time(self, client, story):
        before = client.get(f"/api/articles/{story.pk}/").json()
        publishing.correct(story, by=None, text="The sum was £2m, not £20m.")
        story.refresh_from_db()
        item = client.get(f"/api/articles/{story.pk}/").json()
        assert item["versioncreated"] > before["versioncreated"]
        assert item["versioncreated"] == iso_z(story.public_updated_at)
        note = Correction.objects.get()
        day = iso_z(note.created_at.replace(microsecond=0))
        assert item["descriptions"] == [
            {"role": "summary", "contenttype": "text/plain", "value": story.deck},
            {
                "role": "correction",
                "contenttype": "text/plain",
                "value": f"Correction ({day}): The sum was £2m, not £20m.",
            },
        ]

    def test_since_finds_an_old_article_corrected_since(self, client, story):
        since = (timezone.now() - timedelta(hours=1)).isoformat()
        assert client.get("/api/articles/", {"since": since}).json()["count"] == 0
        publishing.correct(story, by=None, text="Fixed.")
        data = client.get("/api/articles/", {"since": since}).json()
        assert [item["slugline"] for item in data["results"]] == ["council-spends"]

    def test_the_list_reads_corrections_in_one_query(
        self, client, corrected, django_assert_num_queries
    ):
        for _ in range(3):
            publishing.correct(make_article(), by=None, text="Fixed.")
        # Count, page, bylines, tags, corrections.
        with django_assert_num_queries(5):
            assert client.get("/api/articles/").status_code == 200

    @needs_schemas
    def test_a_corrected_item_is_valid_ninjs(self, client, corrected):
        item = client.get(f"/api/articles/{corrected.pk}/").json()
        assert schema_errors(item) == []

    def test_the_export_carries_them_and_imports_no_note_as_a_deck(self, story):
        Article.objects.filter(pk=story.pk).update(deck="")
        publishing.correct(story, by=None, text="Fixed.")
        out = io.StringIO()
        call_command("export_articles", stdout=out)
        (item,) = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [d["role"] for d in item["descriptions"]] == ["correction"]
        assert deck_of(item) == ""


@pytest.mark.django_db(transaction=True)
def test_notes_survive_an_export_and_import_once(tmp_path):
    story = make_article(headline="Council spends £2m")
    publishing.correct(story, by=None, text="The sum was £2m, not £20m.")
    publishing.correct(story, by=None, text="Tuesday.", kind="clarification")
    before = sorted(
        (c.kind, c.text, c.created_at.replace(microsecond=0))
        for c in Correction.objects.all()
    )
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    dump = tmp_path / "out.jsonl"
    dump.write_text(out.getvalue())
    Article.objects.all().delete()

    ok, _, err = run_import(dump)
    assert ok, err
    after = sorted((c.kind, c.text, c.created_at) for c in Correction.objects.all())
    assert after == before
    ok, out_text, _ = run_import(dump)
    assert "1 unchanged" in out_text
    assert Correction.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_source_adds_a_note_in_a_new_version(tmp_path):
    item = {
        "uri": "urn:wire:1",
        "headlines": [{"role": "main", "value": "Bridge closed"}],
        "bodies": [{"role": "main", "value": "<p>Text.</p>"}],
        "by": "Ann Lee",
        "versioncreated": "2026-03-01T10:00:00Z",
        "firstcreated": "2026-03-01T09:00:00Z",
    }
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps(item))
    assert run_import(path)[0]
    item["versioncreated"] = "2026-03-02T10:00:00Z"
    item["bodies"][0]["value"] = "<p>Text, corrected.</p>"
    item["descriptions"] = [
        {"role": "correction", "value": "The bridge reopens in May, not June."}
    ]
    path.write_text(json.dumps(item))
    ok, out_text, err = run_import(path)
    assert ok, err
    assert "1 updated" in out_text
    (note,) = Correction.objects.all()
    assert (note.kind, note.text) == (
        "correction",
        "The bridge reopens in May, not June.",
    )
    # Undated: it is dated as the version that brought it.
    assert note.created_at.isoformat() == "2026-03-02T10:00:00+00:00"
    article = Article.objects.get()
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "The bridge reopens in May, not June." in html


class TestCorrectionsPage:
    def test_each_note_shows_its_kind_date_story_and_text(self, client, corrected):
        html = client.get("/corrections/").content.decode()
        note = Correction.objects.get(kind="clarification")
        assert '<span class="correction-entry__kind">Clarification</span>' in html
        assert f'datetime="{note.created_at.isoformat()}"' in html
        assert (
            f'<a href="{corrected.get_absolute_url()}">Council spends £2m</a>' in html
        )
        assert "The vote is on Tuesday." in html

    def test_it_is_paginated_and_reads_a_page_in_few_queries(
        self, client, story, django_assert_num_queries
    ):
        for n in range(25):
            Correction.objects.create(article=story, text=f"Note number {n}.")
        client.get("/")  # the navigation cached
        # The count, the page's notes, their articles with sections.
        with django_assert_num_queries(3):
            first = client.get("/corrections/")
        assert first.status_code == 200
        assert first.content.decode().count('class="correction-entry ') == 20
        assert 'rel="next" href="?page=2"' in first.content.decode()
        second = client.get("/corrections/", {"page": 2})
        assert second.content.decode().count('class="correction-entry ') == 5
        assert client.get("/corrections/", {"page": 9}).status_code == 404

    def test_every_page_links_to_it_from_the_footer(self, client, story):
        for url in ("/", story.get_absolute_url()):
            html = client.get(url).content.decode()
            assert '<a href="/corrections/">Corrections and clarifications</a>' in html


def test_the_export_since_finds_an_old_article_corrected_since(story):
    since = (timezone.now() - timedelta(hours=1)).date().isoformat()
    make_article(headline="Unchanged", published_at=timezone.now() - timedelta(days=9))
    Article.objects.update(updated_at=timezone.now() - timedelta(days=5))
    publishing.correct(story, by=None, text="Fixed.")
    out = io.StringIO()
    call_command("export_articles", stdout=out, since=since)
    items = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [item["headlines"][0]["value"] for item in items] == ["Council spends £2m"]
