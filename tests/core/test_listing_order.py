"""Tag and author pages list their stories newest first, whatever the newsroom
does to them.

Those pages read their order from the publication time kept on the byline and
tag rows (`ArticleQuerySet.tagged`, `by_author`), which the write path keeps
equal to the article's. Each test changes a story the way the newsroom does
(reschedule, withdraw, embargo, a new byline or new tags, a tag merge, a
re-import) and checks that it leaves the pages it no longer belongs on and
takes its place, by its time, on those it does. What is shown is still
`published()`'s to decide.
"""

import io
import json
import re
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import publishing
from articles.editorial.tagging import merge_tags
from articles.models import Article, ArticleTag, Byline, Tag
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

PAGES = ["/tag/harbour/", "/author/ada/"]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def stories():
    """Old, middle and new, on the Harbour tag's page and Ada's."""
    desk = make_section(name="Harbour Desk", slug="harbour-desk")
    ada = make_author(name="Ada Reporter", slug="ada")
    return {
        name: make_article(
            headline=f"{name.title()} story",
            section=desk,
            authors=[ada],
            tags=["Harbour"],
            published_at=days_ago(days),
        )
        for name, days in [("old", 3), ("middle", 2), ("new", 1)]
    }


def listed(client, url):
    """The headlines a listing shows, in order ([] for a 404)."""
    response = client.get(url)
    if response.status_code == 404:
        return []
    assert response.status_code == 200, url
    return re.findall(
        r'card__headline"><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )


def on_pages(client, urls=PAGES):
    return {url: listed(client, url) for url in urls}


def each(order):
    return dict.fromkeys(PAGES, order)


def test_a_rescheduled_story_moves_to_its_new_time(client, stories):
    publishing.publish(stories["old"], by=None, at=timezone.now() - timedelta(hours=1))
    assert on_pages(client) == each(["Old story", "New story", "Middle story"])


def test_a_story_scheduled_for_later_leaves_until_its_time(client, stories):
    publishing.schedule(stories["new"], by=None, at=timezone.now() + timedelta(days=1))
    assert on_pages(client) == each(["Middle story", "Old story"])
    publishing.publish(stories["new"], by=None, at=days_ago(2.5))
    assert on_pages(client) == each(["Middle story", "New story", "Old story"])


def test_a_withdrawn_story_leaves_and_comes_back_with_its_new_time(client, stories):
    publishing.withdraw(stories["new"], by=None, reason="Legal advice.")
    assert on_pages(client) == each(["Middle story", "Old story"])
    publishing.unpublish(stories["new"], by=None)
    assert on_pages(client) == each(["Middle story", "Old story"])
    publishing.publish(stories["old"], by=None)  # published again, now
    publishing.publish(stories["new"], by=None, at=days_ago(2.5))
    assert on_pages(client) == each(["Old story", "Middle story", "New story"])


def test_an_embargoed_story_leaves_until_the_embargo_is_lifted(client, stories):
    publishing.embargo(
        stories["old"], by=None, until=timezone.now() + timedelta(days=1)
    )
    assert on_pages(client) == each(["New story", "Middle story"])
    publishing.embargo(stories["old"], by=None, until=None)  # lifted: out now
    assert on_pages(client) == each(["Old story", "New story", "Middle story"])


def test_a_new_byline_moves_the_story_between_authors_pages(client, stories):
    ben = make_author(name="Ben Writer", slug="ben")
    make_article(headline="Newer by Ben", authors=[ben], published_at=days_ago(1.5))
    make_article(headline="Older by Ben", authors=[ben], published_at=days_ago(2.5))
    publishing.update(stories["middle"], by=None, authors=[ben])
    assert on_pages(client, ["/author/ada/", "/author/ben/"]) == {
        "/author/ada/": ["New story", "Old story"],
        "/author/ben/": ["Newer by Ben", "Middle story", "Older by Ben"],
    }


def test_new_tags_move_the_story_between_tag_pages(client, stories):
    make_article(headline="Ferry newer", tags=["Ferries"], published_at=days_ago(1.5))
    make_article(headline="Ferry older", tags=["Ferries"], published_at=days_ago(2.5))
    publishing.update(stories["middle"], by=None, tags=["Ferries"])
    assert on_pages(client, ["/tag/harbour/", "/tag/ferries/"]) == {
        "/tag/harbour/": ["New story", "Old story"],
        "/tag/ferries/": ["Ferry newer", "Middle story", "Ferry older"],
    }


def test_a_merged_tags_stories_keep_their_places(client, stories):
    make_article(headline="Ferry newer", tags=["Ferries"], published_at=days_ago(1.5))
    make_article(headline="Ferry older", tags=["Ferries"], published_at=days_ago(2.5))
    merge_tags([Tag.objects.get(name="Ferries")], Tag.objects.get(name="Harbour"))
    assert listed(client, "/tag/harbour/") == [
        "New story",
        "Ferry newer",
        "Middle story",
        "Ferry older",
        "Old story",
    ]


def iso(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def import_stories(tmp_path, times):
    """Import a story per {uri: publication time}, by Ada and on Harbour."""
    source = tmp_path / "stories.jsonl"
    source.write_text(
        "".join(
            json.dumps(
                {
                    "uri": f"urn:example:order:{name}",
                    "headline": f"{name.title()} story",
                    "body_html": "<p>Boats leave every ten minutes.</p>",
                    "by": "Ada Reporter",
                    "subjects": [{"name": "Harbour"}],
                    "firstpublished": iso(when),
                }
            )
            + "\n"
            for name, when in times.items()
        )
    )
    call_command("import_articles", str(source), stdout=io.StringIO())


def test_a_reimported_story_moves_to_its_new_time(client, tmp_path):
    import_stories(tmp_path, {"old": days_ago(3), "middle": days_ago(2)})
    import_stories(tmp_path, {"new": days_ago(1)})
    urls = ["/tag/harbour/", "/author/ada-reporter/"]
    assert on_pages(client, urls) == dict.fromkeys(
        urls, ["New story", "Middle story", "Old story"]
    )
    import_stories(tmp_path, {"old": days_ago(0.5)})
    assert on_pages(client, urls) == dict.fromkeys(
        urls, ["Old story", "New story", "Middle story"]
    )


def test_every_byline_and_tag_row_keeps_its_articles_time(stories):
    """What the pages' order rests on, after writes of every kind."""
    publishing.publish(stories["old"], by=None, at=days_ago(0.5))
    publishing.update(stories["middle"], by=None, tags=["Harbour", "Ferries"])
    publishing.unpublish(stories["new"], by=None)
    times = dict(Article.objects.values_list("pk", "published_at"))
    for model, article in [(Byline, "article_id"), (ArticleTag, "content_object_id")]:
        for pk, when in model.objects.values_list(article, "published_at"):
            assert when == times[pk]
