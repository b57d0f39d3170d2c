"""Related links when tags are thin: shared distinctive words find the story,
and a story with nothing related shows no filler."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import RelatedLink
from articles.related import BulkRefresh, refresh_related
from articles.related_pages import related_for_page
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

on_postgres = connection.vendor == "postgresql"


def days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def news():
    """A news section with an archive of everyday stories around it: enough
    headlines for a word to be told rare or common."""
    news = make_section(name="News")
    for i in range(60):
        make_article(
            section=news,
            headline=f"Council meeting on the budget and local schools, part {i}",
            deck="Residents said the plan would cost more than the council said.",
            tags=["Council", f"background {i}"],
            published_at=days_ago(i % 40),
        )
    return news


def test_a_story_with_no_shared_tag_finds_the_story_its_headline_names(news):
    story = make_article(
        section=news,
        headline="Wrencroft founder tells jury he never hid the losses",
        tags=["Jury"],
        published_at=days_ago(1),
    )
    same_story = make_article(
        section=news,
        headline="Wrencroft pensioners wait for the verdict",
        deck="Savers lost their pensions when Wrencroft collapsed.",
        tags=["Pensions"],
        published_at=days_ago(3),
    )
    refresh_related(story)
    shown = related_for_page(story)
    assert shown == [same_story]
    link = RelatedLink.objects.get(article=story, target=same_story)
    assert "shared words: wrencroft" in link.reason


def test_shared_words_lift_the_story_above_a_tag_match_on_another_topic(news):
    story = make_article(
        section=news,
        headline="Kestrel reservoir falls to its lowest level",
        tags=["Water", "Weather"],
        published_at=days_ago(2),
    )
    other_topic = make_article(
        section=news,
        headline="Burst main floods a shopping street",
        tags=["Water"],
        published_at=days_ago(2),
    )
    same_topic = make_article(
        section=news,
        headline="Hosepipe ban as the Kestrel reservoir runs dry",
        tags=["Weather"],
        published_at=days_ago(3),
    )
    refresh_related(story)
    assert related_for_page(story) == [same_topic, other_topic]


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="words are looked up on PostgreSQL")
def test_on_postgres_a_story_months_away_in_another_section_is_found(news):
    story = make_article(
        section=news,
        headline="Wrencroft founder tells jury he never hid the losses",
        tags=["Jury"],
        published_at=days_ago(1),
    )
    other_section = make_section(name="Business")
    months_away = make_article(
        section=other_section,
        headline="Pension savers count the cost of a collapse",
        deck="Thousands lost their savings in Wrencroft Holdings.",
        tags=["Pensions"],
        published_at=days_ago(200),
    )
    refresh_related(story)
    assert related_for_page(story) == [months_away]


def test_a_story_with_nothing_related_shows_no_filler(news, client):
    story = make_article(
        section=news,
        headline="Zebra crossing repainted in Quillington",
        deck="Quillington gets brighter stripes.",
        tags=["Road markings"],
        published_at=days_ago(750),
    )
    refresh_related(story)
    assert related_for_page(story) == []
    assert not RelatedLink.objects.filter(article=story).exists()
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "Related stories" not in response.content.decode()


def test_a_tag_on_every_story_is_no_reason_for_a_link(news):
    story = make_article(
        section=news,
        headline="Budget vote delayed",
        deck="The council said the plan would cost more.",
        tags=["Council"],
        published_at=days_ago(1),
    )
    make_article(
        section=news,
        headline="Parking charges rise",
        deck="Residents said the plan would cost more.",
        tags=["Council"],
        published_at=days_ago(1),
    )
    refresh_related(story)
    assert related_for_page(story) == []


def test_looking_for_stories_by_their_words_is_one_query(
    news, django_assert_num_queries
):
    rich = make_article(section=news, tags=["Storm Agnes"], published_at=days_ago(1))
    for _ in range(6):
        make_article(section=news, tags=["Storm Agnes"], published_at=days_ago(1))
    thin = make_article(
        section=news,
        headline="Wrencroft founder tells jury he never hid the losses",
        tags=["Jury"],
        published_at=days_ago(1),
    )
    make_article(
        section=news, headline="Wrencroft verdict due", published_at=days_ago(2)
    )
    refresh_related(rich)  # counts the archive (kept ten minutes)
    # The article's tags, their counts; savepoint, delete, the ranking (on
    # SQLite, the candidates, then editors' pins), insert, release (its pages
    # are retired only if its links changed, which reads nothing more).
    with django_assert_num_queries(7 if on_postgres else 8):
        refresh_related(rich)
    # ...and on SQLite one to look for stories that share its words (on
    # PostgreSQL the ranking looks for them).
    with django_assert_num_queries(7 if on_postgres else 9):
        refresh_related(thin)
    assert len(related_for_page(thin)) == 1


NAMES = ["Wrencroft", "Quillington", "Marbeck", "Tolliver", "Pennock", "Harrowgate"]


def test_a_chunk_of_thin_stories_looks_for_their_words_in_one_query(news):
    stories, partners = [], []
    for name in NAMES:
        stories.append(
            make_article(
                section=news,
                headline=f"{name} founder tells jury he never hid the losses",
                tags=[f"{name} trial"],  # a tag no other story has: thin
                published_at=days_ago(1),
            )
        )
        partners.append(
            make_article(
                section=news,
                headline=f"{name} pensioners wait for the verdict",
                tags=["Pensions"],
                published_at=days_ago(2),
            )
        )
    refresh = BulkRefresh()
    refresh.refresh(stories)  # counts the archive and the tags' uses once

    def queries(articles):
        with CaptureQueriesContext(connection) as context:
            refresh.refresh(articles)
        return len(context)

    three, six = queries(stories[:3]), queries(stories)
    if on_postgres:
        assert six == three  # one word query for the whole chunk
    else:
        assert six == three + 3  # one neighbours query per thin story
    for story, partner in zip(stories, partners, strict=True):
        assert related_for_page(story)[0] == partner
