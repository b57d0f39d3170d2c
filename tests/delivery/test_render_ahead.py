"""Pages rendered on write: a reader's first request after a write is a hit,
and a write retires only the pages that show what it changed."""

from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing, publishing_batch
from articles.delivery import render_ahead
from articles.delivery.page_cache import page_key
from articles.freshness import bulk_writes
from articles.models import Article, PendingWork
from articles.scheduler import sweep
from tests.factories import loaded_stories, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

LISTINGS = ["/", "/section/world/", "/tag/harbour/", "/author/ada/"]


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Run a write as in production: its follow-up tasks run once it commits."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def draft():
    return make_article(
        headline="Harbour reopens",
        status=Article.Status.DRAFT,
        published_at=None,
        section=make_section(name="World", slug="world"),
        authors=[make_author(name="Ada", slug="ada")],
        tags=["Harbour"],
    )


@pytest.fixture
def other():
    """A story that shares nothing with the others."""
    return make_article(
        headline="Cup final tonight",
        section=make_section(name="Sport", slug="sport"),
        authors=[make_author(name="Bea", slug="bea")],
        tags=["Football"],
    )


def hit(client, url, django_assert_num_queries):
    """The page at `url`, asserting it came from the page cache: no query, and
    answered before the session middleware (so no view ran)."""
    with django_assert_num_queries(0):
        response = client.get(url)
    assert not hasattr(response.wsgi_request, "session"), url
    assert response.status_code == 200, url
    return response.content.decode()


def is_stored(rf, url):
    key = page_key(rf.get(url))
    return cache.get(key) is not None or caches["pages"].get(key) is not None


def test_after_a_publish_the_first_reader_gets_a_hit(
    client, write, draft, django_assert_num_queries
):
    write(publishing.publish, draft, by=None)
    for url in [draft.get_absolute_url(), *LISTINGS]:
        assert "Harbour reopens" in hit(client, url, django_assert_num_queries), url


def test_an_update_retires_its_pages_and_leaves_others_cached(
    client, write, draft, other, django_assert_num_queries
):
    write(publishing.publish, draft, by=None)
    unrelated = [other.get_absolute_url(), "/section/sport/", "/tag/football/"]
    for url in unrelated:
        client.get(url)  # a reader's miss: rendered and stored
    draft.headline = "Harbour reopens at dawn"
    write(publishing.update, draft, by=None)
    for url in [draft.get_absolute_url(), *LISTINGS]:
        page = hit(client, url, django_assert_num_queries)
        assert "Harbour reopens at dawn" in page, url
    for url in unrelated:
        assert "Cup final tonight" in hit(client, url, django_assert_num_queries)


def test_an_update_is_seen_at_once_even_before_its_tasks_run(client, draft, other):
    publishing.publish(draft, by=None)
    client.get(draft.get_absolute_url())
    client.get(other.get_absolute_url())
    draft.headline = "Harbour reopens at dawn"
    publishing.update(draft, by=None)  # its tasks wait for the commit
    assert "at dawn" in client.get(draft.get_absolute_url()).content.decode()


def test_a_withdrawal_is_never_served_from_the_cache(client, write, draft):
    write(publishing.publish, draft, by=None)
    write(publishing.withdraw, draft, by=None, reason="Legal.")
    assert client.get(draft.get_absolute_url()).status_code == 410
    for url in ["/", "/section/world/", "/author/ada/"]:
        assert "Harbour reopens" not in client.get(url).content.decode(), url


def test_a_scheduled_story_is_rendered_at_its_time_not_before(
    client, rf, write, draft, django_assert_num_queries
):
    goes_live = timezone.now() + timedelta(hours=1)
    write(publishing.publish, draft, by=None, at=goes_live)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    assert not is_stored(rf, url)
    assert "Harbour reopens" not in client.get("/").content.decode()
    # Its time comes: the purge due then is handed over by the sweeper.
    past = timezone.now() - timedelta(seconds=1)
    Article.objects.filter(pk=draft.pk).update(published_at=past)
    PendingWork.objects.filter(due_at=goes_live).update(due_at=past)
    sweep(stale_after=timedelta(0))
    draft.refresh_from_db()  # its address carries its (new) date
    url = draft.get_absolute_url()
    assert "Harbour reopens" in hit(client, url, django_assert_num_queries)
    assert "Harbour reopens" in hit(client, "/", django_assert_num_queries)


def test_drafts_and_previews_are_never_stored(rf, admin_client, write, draft):
    draft.headline = "Harbour reopens, draft two"
    write(publishing.update, draft, by=None)
    preview = f"/preview/{draft.pk}/"
    assert "draft two" in admin_client.get(preview).content.decode()
    for url in [draft.get_absolute_url(), preview]:
        assert not is_stored(rf, url), url


def test_render_ahead_is_bounded(
    client, write, draft, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(render_ahead, "LIMIT", 3)
    write(publishing.publish, draft, by=None)
    for url in [draft.get_absolute_url(), "/", "/section/world/"]:
        hit(client, url, django_assert_num_queries)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tag/harbour/")  # left to its first reader
    assert response.status_code == 200
    assert len(queries) > 0


def test_an_import_batch_renders_nothing_ahead(rf, write, monkeypatch):
    monkeypatch.setattr(render_ahead, "LIMIT", 2)
    section = make_section(name="World", slug="world")
    ada = make_author(name="Ada", slug="ada")
    entries = loaded_stories(3, section=section, authors=[ada])
    with bulk_writes():
        write(publishing_batch.load_batch, entries)
    stories = Article.objects.filter(slug__startswith="story-")
    assert all(story.is_live for story in stories)
    pages = [story.get_absolute_url() for story in stories]
    for url in [*pages, "/", "/section/world/", "/author/ada/"]:
        assert not is_stored(rf, url), url
