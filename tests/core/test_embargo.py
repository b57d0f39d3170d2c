"""Embargoes: a story held back from every public surface until its time.

The visibility rule holds it back, so every surface is checked against it: a
published story under embargo, and one whose row says it is already out but
whose embargo has not ended (the rule, not the write path's choice of time,
keeps it hidden). At the embargo's end it is everywhere, by the same clock
as a scheduled story: the clock is driven here by patching `timezone.now`.
"""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import freshness, publishing
from articles.models import Article, Revision
from articles.newsletters import editions
from articles.newsletters.models import Newsletter
from articles.related import refresh_related
from articles.scheduler import Scheduler
from articles.webhooks import events
from articles.webhooks.models import Delivery, Endpoint
from tests.core.test_draft_leaks import NOT_ARTICLE_LISTS, SURFACES
from tests.factories import make_article, make_author, make_section
from tests.staff import make_user

pytestmark = pytest.mark.django_db

HIDDEN = ["embargoed", "forged"]


@contextmanager
def at(when):
    """The clocks (Django's and the cache's) read `when` inside the block."""
    with (
        mock.patch("django.utils.timezone.now", return_value=when),
        mock.patch("time.time", return_value=when.timestamp()),
    ):
        yield


@pytest.fixture
def newsroom():
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada")
    now = timezone.now()

    def story(name):
        return make_article(
            headline=f"{name.title()} story",
            slug=name,
            deck=f"The {name} deck.",
            body=f"<p>The harbourmaster speaks ({name}).</p>",
            section=section,
            authors=[author],
            tags=["Harbour", f"{name}-only"],
            published_at=now - timedelta(hours=2),
        )

    live = story("live")
    embargoed = story("embargoed")
    until = (now + timedelta(hours=3)).replace(microsecond=0)
    publishing.embargo(embargoed, by=None, until=until)
    forged = story("forged")
    # Written around the write path: out since two hours ago, by its row.
    Article.objects.filter(pk=forged.pk).update(embargoed_until=until)
    forged.refresh_from_db()
    freshness.pages_changed(articles=True)
    return live, {"embargoed": embargoed, "forged": forged}, until


def leaks(text, hidden):
    return [
        f"{name}: {marker}"
        for name, article in hidden.items()
        for marker in (
            article.headline,
            f"The {name} deck",
            f"/{name}/",
            f"{name}-only",
        )
        if marker in text
    ]


@pytest.mark.parametrize("url", SURFACES)
def test_no_surface_shows_an_embargoed_story(client, newsroom, url):
    live, hidden, _ = newsroom
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert not leaks(text, hidden)
    if url not in NOT_ARTICLE_LISTS:
        assert live.slug in text, "the live article is missing"


@pytest.mark.parametrize("name", HIDDEN)
def test_an_embargoed_storys_own_address_is_a_404(client, newsroom, name):
    live, hidden, _ = newsroom
    article = hidden[name]
    assert client.get(article.get_absolute_url()).status_code == 404
    # A forged address: the date the story would have had without the embargo.
    when = timezone.localtime(live.published_at)
    forged = f"/{when.year}/{when.month}/{when.day}/{article.slug}/"
    assert client.get(forged).status_code == 404
    assert client.get(f"/api/articles/{article.pk}/").status_code == 404
    for url in (f"/tag/{name}-only/", f"/tag/{name}-only/feed/"):
        assert client.get(url).status_code == 404, url


def test_related_links_leave_out_an_embargoed_story(client, newsroom):
    live, hidden, _ = newsroom
    for article in [live, *hidden.values()]:
        refresh_related(article)
    response = client.get(live.get_absolute_url())
    assert response.status_code == 200
    assert not leaks(response.content.decode(), hidden)


def test_newsletters_and_webhooks_wait_for_the_embargo(newsroom):
    _, hidden, until = newsroom
    digest = Newsletter.objects.create(name="The Daily", slug="daily", send_hour=0)
    Endpoint.objects.create(
        name="Partner",
        url="https://partner.example/hook",
        events=list(Endpoint.Event.values),
    )
    publishing.update(hidden["embargoed"], by=None, deck="The embargoed deck, v2.")
    events.find()
    assert not Delivery.objects.filter(article__in=hidden.values()).exists()
    assert hidden["embargoed"] not in editions.stories(digest, timezone.now())
    later = until + timedelta(seconds=1)
    with at(later):
        assert hidden["embargoed"] in editions.stories(digest, later)
        events.find()
    published = Delivery.objects.filter(article=hidden["embargoed"])
    assert [d.event for d in published] == [Endpoint.Event.PUBLISHED]


def test_an_embargoed_story_appears_at_its_time_and_not_before(client, newsroom):
    _, hidden, until = newsroom
    for url in SURFACES:
        client.get(url)  # fill the caches
    with at(until - timedelta(seconds=1)):
        assert client.get("/").status_code == 200
        assert not leaks(client.get("/").content.decode(), hidden)
    with at(until + timedelta(seconds=1)):
        for url in SURFACES:
            if url not in NOT_ARTICLE_LISTS:
                text = client.get(url).content.decode()
                assert "/embargoed/" in text, url
        page = client.get(hidden["embargoed"].get_absolute_url())
        assert page.status_code == 200


def test_the_go_live_clock_counts_an_embargo(newsroom):
    _, hidden, until = newsroom
    embargoed = hidden["embargoed"]
    assert embargoed.published_at == until  # it goes live when the embargo ends
    assert embargoed.is_scheduled and not embargoed.is_live
    assert freshness.next_publication() == until.timestamp()
    # The scheduler wakes for it: never late by more than its round.
    before = timezone.now()
    wait = Scheduler().seconds_to_wait(24 * 3600)
    assert wait <= (until - before).total_seconds() + 0.5


def test_an_embargo_in_the_past_is_refused(newsroom):
    live, _, _ = newsroom
    with pytest.raises(ValidationError, match="in the future"):
        publishing.embargo(live, by=None, until=timezone.now() - timedelta(hours=1))
    live.refresh_from_db()
    assert live.embargoed_until is None and live.is_live


def test_setting_moving_and_lifting_an_embargo_is_in_the_history(newsroom):
    editor = make_user("Editor", username="editor")
    live, hidden, until = newsroom
    article = hidden["embargoed"]
    sooner = until - timedelta(hours=1)
    publishing.embargo(article, by=editor, until=sooner)
    assert article.published_at == sooner  # the story moves with its embargo
    publishing.embargo(article, by=editor, until=None)
    assert article.is_live
    assert article.published_at <= timezone.now()
    notes = list(
        Revision.objects.filter(article=article)
        .order_by("number")
        .values_list("note", "created_by__username")
    )
    assert notes[-3][0].startswith("Embargoed until ")
    assert notes[-2] == (
        f"Embargo moved to {timezone.localtime(sooner):%d %b %Y %H:%M %Z}",
        "editor",
    )
    assert notes[-1] == ("Embargo lifted", "editor")


def test_an_embargo_on_a_live_story_takes_it_off_the_site(client, newsroom):
    live, _, until = newsroom
    publishing.embargo(live, by=None, until=until)
    assert client.get("/").content.decode().count("Live story") == 0
    assert not live.is_live
