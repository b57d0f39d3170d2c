"""Live updates: entries written through the write path, the article page that
shows them, the endpoint it polls and the LiveBlogPosting data."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.live import Stale
from articles.models import Article, Image, LiveCoverage, LiveEntry
from tests.factories import jpeg_bytes, make_article, make_author
from tests.staff import make_user

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def editor():
    return make_user("Editor")


@pytest.fixture
def story():
    return make_article(headline="Storm hits the coast", slug="storm")


def live_url(article):
    return article.get_absolute_url() + "live.json"


def json_ld(response):
    found = re.search(
        rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S
    )
    return json.loads(found[1])


class TestWritePath:
    def test_the_first_entry_starts_the_coverage(self, story, editor):
        assert not LiveCoverage.objects.filter(article=story).exists()
        entry = publishing.add_live_entry(story, by=editor, text="Winds at 90 km/h.")
        assert entry.text == "<p>Winds at 90 km/h.</p>"
        assert entry.created_by == editor
        coverage = LiveCoverage.objects.get(article=story)
        assert coverage.is_open
        assert coverage.started_at <= entry.created_at

    def test_entries_are_sanitised_like_bodies(self, story, editor):
        entry = publishing.add_live_entry(
            story,
            by=editor,
            text='<p onclick="x()">Safe <script>alert(1)</script><b>bold</b></p>',
        )
        assert entry.text == "<p>Safe <b>bold</b></p>"
        plain = publishing.add_live_entry(
            story, by=editor, text="First line\n\nSecond <para> & more"
        )
        assert plain.text == (
            "<p>First line</p>\n\n<p>Second &lt;para&gt; &amp; more</p>"
        )

    def test_plain_text_comes_back_to_editors_as_they_typed_it(self, story, editor):
        typed = "Roads shut: A1 & B2.\nMore soon.\n\nStay <indoors>."
        entry = publishing.add_live_entry(story, by=editor, text=typed)
        assert entry.editable_text == typed
        rich = publishing.add_live_entry(story, by=editor, text="<ul><li>A</li></ul>")
        assert rich.editable_text == "<ul><li>A</li></ul>"
        assert rich.plain_text == "A"

    def test_empty_text_or_an_unknown_embed_is_refused_and_nothing_written(
        self, story, editor
    ):
        with pytest.raises(ValidationError, match="needs some text"):
            publishing.add_live_entry(story, by=editor, text="  <script>x</script> ")
        with pytest.raises(ValidationError, match="not one of the embeds"):
            publishing.add_live_entry(
                story, by=editor, text="Look", embed_url="https://example.com/x"
            )
        assert not LiveEntry.objects.exists()
        assert not LiveCoverage.objects.exists()

    def test_an_embed_is_kept_by_its_address(self, story, editor):
        entry = publishing.add_live_entry(
            story, by=editor, text="Video", embed_url=YOUTUBE.replace("https", "http")
        )
        assert entry.embed_url == YOUTUBE
        assert 'data-embed-provider="youtube"' in entry.embed_html

    def test_one_entry_at_most_is_pinned(self, story, editor):
        first = publishing.add_live_entry(story, by=editor, text="A", pinned=True)
        second = publishing.add_live_entry(story, by=editor, text="B", pinned=True)
        first.refresh_from_db()
        assert (first.pinned, second.pinned) == (False, True)
        publishing.pin_live_entry(first, by=editor)
        second.refresh_from_db()
        assert list(LiveEntry.objects.filter(pinned=True)) == [first]
        publishing.pin_live_entry(first, by=editor, pinned=False)
        assert not LiveEntry.objects.filter(pinned=True).exists()

    def test_an_edit_from_a_stale_copy_overwrites_nothing(self, story, editor):
        entry = publishing.add_live_entry(story, by=editor, text="Draft words")
        seen = entry.updated_at
        other = make_user("Editor")
        publishing.edit_live_entry(
            LiveEntry.objects.get(pk=entry.pk), by=other, text="Their words", seen=seen
        )
        with pytest.raises(Stale):
            publishing.edit_live_entry(entry, by=editor, text="My words", seen=seen)
        entry.refresh_from_db()
        assert entry.text == "<p>Their words</p>"
        assert entry.updated_by == other

    def test_ending_records_who_and_when_and_closes_the_story(self, story, editor):
        publishing.add_live_entry(story, by=editor, text="Start")
        coverage = publishing.end_live_coverage(story, by=editor)
        assert coverage.ended_by == editor
        assert coverage.ended_at is not None
        with pytest.raises(ValidationError, match="has ended"):
            publishing.add_live_entry(story, by=editor, text="Late")
        with pytest.raises(ValidationError, match="ended already"):
            publishing.end_live_coverage(story, by=editor)
        assert LiveEntry.objects.count() == 1

    def test_a_live_storys_updated_time_moves_a_drafts_does_not(self, story, editor):
        before = story.public_updated_at
        entry = publishing.add_live_entry(story, by=editor, text="News")
        story.refresh_from_db()
        assert story.public_updated_at is not None
        assert before is None or story.public_updated_at > before
        assert story.public_updated_at >= entry.created_at
        draft = make_article(status=Article.Status.DRAFT, published_at=None)
        publishing.add_live_entry(draft, by=editor, text="Prepared")
        draft.refresh_from_db()
        assert draft.public_updated_at is None

    def test_a_write_retires_cached_pages(self, client, story, editor):
        publishing.add_live_entry(story, by=editor, text="First")
        assert b"First" in client.get(story.get_absolute_url()).content
        publishing.add_live_entry(story, by=editor, text="Second")
        assert b"Second" in client.get(story.get_absolute_url()).content


class TestEndpoint:
    def test_entries_newest_first_with_the_key_points_apart(
        self, client, story, editor
    ):
        key = publishing.add_live_entry(story, by=editor, text="Key", pinned=True)
        older = publishing.add_live_entry(story, by=editor, text="Older")
        newer = publishing.add_live_entry(story, by=editor, text="Newer")
        response = client.get(live_url(story))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        data = response.json()
        assert data["live"] is True
        assert data["ended_at"] is None
        assert data["key_points"]["id"] == key.pk
        assert [e["id"] for e in data["entries"]] == [newer.pk, older.pk]
        assert f'id="live-entry-{newer.pk}"' in data["entries"][0]["html"]
        assert "<p>Newer</p>" in data["entries"][0]["html"]

    def test_unchanged_is_304_and_a_new_entry_is_200_again(self, client, story, editor):
        publishing.add_live_entry(story, by=editor, text="One")
        first = client.get(live_url(story))
        etag = first["ETag"]
        assert etag
        again = client.get(live_url(story), headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        publishing.add_live_entry(story, by=editor, text="Two")
        fresh = client.get(live_url(story), headers={"if-none-match": etag})
        assert fresh.status_code == 200
        assert fresh["ETag"] != etag
        assert len(fresh.json()["entries"]) == 2

    def test_it_obeys_the_articles_visibility(self, client, editor):
        draft = make_article(status=Article.Status.DRAFT)
        scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
        withdrawn = make_article()
        for article in (draft, scheduled, withdrawn):
            publishing.add_live_entry(article, by=editor, text="Secret words")
        publishing.withdraw(withdrawn, by=editor, reason="Legal advice.")
        assert client.get(live_url(draft)).status_code == 404
        assert client.get(live_url(scheduled)).status_code == 404
        gone = client.get(live_url(withdrawn))
        assert gone.status_code == 410
        for response in (client.get(live_url(draft)), gone):
            assert b"Secret" not in response.content

    def test_a_story_without_coverage_or_at_another_date_is_404(
        self, client, story, editor
    ):
        assert client.get(live_url(story)).status_code == 404
        publishing.add_live_entry(story, by=editor, text="Now live")
        assert client.get(live_url(story)).status_code == 200
        assert client.get(f"/2001/1/1/{story.slug}/live.json").status_code == 404

    def test_query_count(
        self, client, settings, story, editor, django_assert_num_queries
    ):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every request rendered
        for n in range(5):
            publishing.add_live_entry(
                story, by=editor, text=f"Entry {n}", author=make_author()
            )
        client.get(live_url(story))  # the next publication, cached
        # The article with its coverage, then the entries with their authors
        # and pictures, however many.
        with django_assert_num_queries(2):
            assert client.get(live_url(story)).status_code == 200
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
        client.get(live_url(story) + "?warm")
        with django_assert_num_queries(0):  # a hit, from the page cache
            assert client.get(live_url(story) + "?warm").status_code == 200


class TestPage:
    def test_the_page_shows_key_points_then_entries_and_polls(
        self, client, story, editor
    ):
        publishing.add_live_entry(story, by=editor, text="Key facts", pinned=True)
        publishing.add_live_entry(story, by=editor, text="Rain starts")
        publishing.add_live_entry(story, by=editor, text="Trees down")
        page = client.get(story.get_absolute_url()).content.decode()
        shown = page.split('id="live-updates"', 1)[1]  # not the head's JSON-LD
        assert shown.index("Key facts") < shown.index("Trees down")
        assert shown.index("Trees down") < shown.index("Rain starts")
        assert f'data-live-url="{live_url(story)}"' in page
        assert "js/live-updates.js" in page

    def test_an_ended_story_says_so_and_stops_asking(self, client, story, editor):
        publishing.add_live_entry(story, by=editor, text="Last update")
        publishing.end_live_coverage(story, by=editor)
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Live coverage ended" in page
        assert "Last update" in page
        assert "data-live-url" not in page
        assert "live-updates.js" not in page

    def test_an_entry_shows_its_picture_author_and_embed(self, client, story, editor):
        image = Image.objects.create(
            file=ContentFile(jpeg_bytes(), name="crowd.jpg"),
            alt="Crowd on the quay",
            credit="Ann Photo",
        )
        publishing.add_live_entry(
            story,
            by=editor,
            text="Pictures",
            image=image,
            author=make_author(name="Lena Field"),
            embed_url=YOUTUBE,
        )
        page = client.get(story.get_absolute_url()).content.decode()
        assert 'alt="Crowd on the quay"' in page
        assert "Ann Photo" in page
        assert "Lena Field" in page
        assert 'data-embed-frame="https://www.youtube-nocookie.com/embed/' in page
        assert "js/embeds.js" in page

    def test_a_live_story_costs_one_query_more(self, client, settings, story, editor):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        plain = make_article()
        client.get(plain.get_absolute_url())

        def queries(article):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(article.get_absolute_url()).status_code == 200
            return len(ctx)

        without = queries(plain)
        for n in range(4):
            publishing.add_live_entry(story, by=editor, text=f"Entry {n}")
        client.get(plain.get_absolute_url())  # the navigation, cached again
        assert queries(story) == without + 1
        publishing.add_live_entry(story, by=editor, text="One more")
        client.get(plain.get_absolute_url())
        assert queries(story) == without + 1

    def test_a_preview_shows_entries_without_asking_for_more(self, client, editor):
        draft = make_article(status=Article.Status.DRAFT, published_at=None)
        publishing.add_live_entry(draft, by=editor, text="Prepared entry")
        client.force_login(editor)
        page = client.get(f"/preview/{draft.pk}/").content.decode()
        assert "Prepared entry" in page
        assert "data-live-url" not in page


class TestStructuredData:
    def test_a_live_story_is_a_live_blog_posting(self, client, story, editor):
        older = publishing.add_live_entry(
            story,
            by=editor,
            text="<p>Sea <b>rising</b> &amp; fast</p>",
            author=make_author(name="Lena"),
        )
        newer = publishing.add_live_entry(story, by=editor, text="Roads closed")
        data = json_ld(client.get(story.get_absolute_url()))
        assert data["@type"] == "LiveBlogPosting"
        assert data["headline"] == "Storm hits the coast"
        coverage = LiveCoverage.objects.get(article=story)
        assert (
            data["coverageStartTime"]
            == timezone.localtime(coverage.started_at).isoformat()
        )
        assert "coverageEndTime" not in data
        updates = data["liveBlogUpdate"]
        assert [u["url"].rsplit("#", 1)[1] for u in updates] == [
            newer.anchor,
            older.anchor,
        ]
        assert updates[1]["articleBody"] == "Sea rising & fast"
        assert updates[1]["author"] == {"@type": "Person", "name": "Lena"}
        assert updates[0]["@type"] == "BlogPosting"

    def test_ending_adds_the_end_time(self, client, story, editor):
        publishing.add_live_entry(story, by=editor, text="Start")
        coverage = publishing.end_live_coverage(story, by=editor)
        data = json_ld(client.get(story.get_absolute_url()))
        assert (
            data["coverageEndTime"] == timezone.localtime(coverage.ended_at).isoformat()
        )

    def test_a_story_without_coverage_stays_a_news_article(self, client, story):
        data = json_ld(client.get(story.get_absolute_url()))
        assert data["@type"] == "NewsArticle"
        assert "liveBlogUpdate" not in data
