"""What an uncached article page costs: the same queries however much a story
carries, and no SQL built again once a process has served the page."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from articles import publishing
from articles.models import Byline, Correction
from articles.related import refresh_related
from tests.factories import make_article, make_author, make_section
from tests.staff import make_user

pytestmark = pytest.mark.django_db

# The article, its bylines, its tags, its corrections, its related links;
# a story without corrections is spared the query for them.
ARTICLE_PAGE_QUERIES = 5
WITHOUT_CORRECTIONS = 4


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # measure rendering, not the cache


def full_story(section):
    """A story with four bylines in two roles, five tags and three corrections."""
    story = make_article(
        section=section,
        authors=[make_author(), make_author(), make_author()],
        tags=[f"Topic {n}" for n in range(5)],
    )
    Byline.objects.create(
        article=story,
        author=make_author(),
        position=3,
        role=Byline.Role.PHOTOGRAPHER,
    )
    for n in range(3):
        Correction.objects.create(article=story, text=f"Fixed the {n}th figure.")
    return story


def test_the_article_page_reads_a_fixed_number_of_queries_whatever_it_carries(
    client, django_assert_num_queries
):
    desk = make_section()
    plain = make_article(section=desk)
    full = full_story(desk)
    for story in (plain, full):
        refresh_related(story)
    for story, queries in ((plain, WITHOUT_CORRECTIONS), (full, ARTICLE_PAGE_QUERIES)):
        client.get(story.get_absolute_url())  # the navigation into the cache
        with django_assert_num_queries(queries):
            response = client.get(story.get_absolute_url())
        assert response.status_code == 200
    html = response.content.decode()
    assert "Photographs by" in html
    assert "Fixed the 2th figure." in html
    assert html.count('rel="tag"') == 5


def test_the_article_page_reads_the_shared_cache_for_its_freshness_only(client):
    # The navigation is kept in the process's memory under the content
    # generation the page reads anyway: no shared read of its own (on Redis
    # or the database cache, each read is a round trip).
    story = make_article(section=make_section())
    client.get(story.get_absolute_url())
    shared = caches["default"]
    with (
        mock.patch.object(shared, "get", wraps=shared.get) as get,
        mock.patch.object(shared, "get_many", wraps=shared.get_many) as get_many,
    ):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    read = [c.args[0] for c in get.call_args_list + get_many.call_args_list]
    assert not [key for key in read if "nav" in str(key)]
    assert len(read) <= 2  # the page cache's look-up and the page's generation


def test_a_served_article_page_builds_no_sql_again(client):
    desk = make_section()
    story = full_story(desk)
    other = make_article(section=desk, tags=["Topic 1"])
    editor = make_user("Editor")
    for article in (story, other):
        publishing.add_live_entry(article, by=editor, text="Winds at 90 km/h.")
    refresh_related(story)
    client.get(other.get_absolute_url())  # the page's reads compiled
    built = []
    original = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        built.append(compiler.query.model)
        return original(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", counting):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert b"Winds at 90 km/h." in response.content
    assert built == []


def test_a_scheduled_story_shows_once_its_time_has_come(client):
    # The page's read is compiled once; the moment it is read at is each
    # request's.
    soon = timezone.now() + timedelta(minutes=5)
    story = make_article(published_at=soon)
    assert client.get(story.get_absolute_url()).status_code == 404
    later = soon + timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("time.time", return_value=later.timestamp()),
    ):
        assert client.get(story.get_absolute_url()).status_code == 200
