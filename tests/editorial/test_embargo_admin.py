"""Embargoes in the admin: set, moved and lifted from the writing screen and
recorded in the history; the list and the form count down to the lift; preview
links refuse an embargoed story while staff previews show it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.editorial import previews
from articles.editorial.admin.embargo import lifts_in
from articles.models import Article, Revision
from tests.factories import make_article
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/articles/article/"


@pytest.fixture
def editor(client):
    user = make_user("Editor", username="ed")
    login(client, user)
    return user


@pytest.fixture
def embargoed():
    article = make_article(headline="Budget leaks", status="draft", published_at=None)
    until = timezone.now() + timedelta(hours=2, minutes=14, seconds=30)
    return publishing.embargo(article, by=None, until=until)


def with_embargo(data, when):
    local = timezone.localtime(when)
    data["embargoed_until_0"] = local.strftime("%Y-%m-%d")
    data["embargoed_until_1"] = local.strftime("%H:%M:%S")
    return data


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "lifted"),
        (0.5, "lifts in 1 min"),
        (59, "lifts in 59 min"),
        (134.5, "lifts in 2 h 15 min"),
        (60 * 24 * 3 + 61, "lifts in 3 d 1 h"),
    ],
)
def test_the_countdown_reads_in_days_hours_and_minutes(minutes, expected):
    now = timezone.now()
    assert lifts_in(now + timedelta(minutes=minutes), now) == expected


def test_the_list_shows_the_embargo_and_its_countdown(client, editor, embargoed):
    make_article(headline="Already out")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    until = timezone.localtime(embargoed.embargoed_until)
    assert f"Draft, Embargoed until {until:%d %b %Y %H:%M %Z}" in html
    assert "lifts in 2 h 15 min" in html
    assert f'data-embargo-until="{embargoed.embargoed_until.isoformat()}"' in html
    assert "admin/newsroom/embargo.js" in html


def test_the_list_costs_no_more_queries_with_more_embargoes(
    client, editor, embargoed, django_assert_num_queries
):
    client.get(LIST_URL)  # the session and the caches warmed
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    queries = len(one)
    for n in range(3):
        publishing.embargo(
            make_article(headline=f"Another {n}"),
            by=None,
            until=timezone.now() + timedelta(hours=n + 1),
        )
    client.get(LIST_URL)
    with django_assert_num_queries(queries):
        assert "lifts in 3 h" in client.get(LIST_URL).content.decode()


def test_the_writing_screen_shows_the_countdown(client, editor, embargoed):
    response = client.get(change_url(embargoed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Embargoed until" in html and "lifts in 2 h 15 min" in html
    assert 'name="embargoed_until_0"' in html


def test_an_editor_sets_moves_and_lifts_an_embargo_recorded_in_the_history(
    client, editor
):
    article = make_article(headline="Budget", status="draft", published_at=None)
    until = (timezone.now() + timedelta(hours=5)).replace(second=0, microsecond=0)
    response = client.post(
        change_url(article), with_embargo(change_data(article), until)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.embargoed_until == until and article.is_embargoed
    sooner = until - timedelta(hours=1)
    client.post(change_url(article), with_embargo(change_data(article), sooner))
    article.refresh_from_db()
    data = change_data(article, embargoed_until_0="", embargoed_until_1="")
    client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.embargoed_until is None
    notes = list(
        Revision.objects.filter(article=article)
        .order_by("number")
        .values_list("note", "created_by__username")
    )[-3:]
    local = timezone.localtime
    assert notes == [
        (f"Embargoed until {local(until):%d %b %Y %H:%M %Z}", "ed"),
        (f"Embargo moved to {local(sooner):%d %b %Y %H:%M %Z}", "ed"),
        ("Embargo lifted", "ed"),
    ]
    history = client.get(f"/admin/articles/article/{article.pk}/revisions/")
    assert history.status_code == 200
    assert "Embargo lifted" in history.content.decode()


def test_publishing_an_embargoed_story_waits_for_the_embargo(client, editor, embargoed):
    data = change_data(embargoed, _action="publish")
    response = client.post(change_url(embargoed), data, follow=True)
    assert response.status_code == 200
    embargoed.refresh_from_db()
    assert embargoed.status == Article.Status.PUBLISHED
    assert embargoed.published_at == embargoed.embargoed_until
    assert embargoed.public_updated_at == embargoed.published_at
    assert not embargoed.is_live
    assert "Published under embargo" in response.content.decode()
    assert client.get(embargoed.get_absolute_url()).status_code == 404


def test_an_embargo_in_the_past_is_refused_and_nothing_saved(client, editor):
    article = make_article(headline="Budget", status="draft", published_at=None)
    data = with_embargo(
        change_data(article, headline="Changed"), timezone.now() - timedelta(hours=1)
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "An embargo ends at a time in the future" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Budget" and article.embargoed_until is None


def test_a_reporter_edits_an_embargoed_story_but_not_its_embargo(client, embargoed):
    reporter = make_user("Reporter")
    login(client, reporter)
    Article.objects.filter(pk=embargoed.pk).update(created_by=reporter)
    embargoed.refresh_from_db()
    page = client.get(change_url(embargoed))
    assert page.status_code == 200
    assert "lifts in" in page.content.decode()
    assert 'name="embargoed_until_0"' not in page.content.decode()
    data = change_data(embargoed, headline="Budget leaks, revised")
    data.pop("embargoed_until_0")
    data.pop("embargoed_until_1")
    assert client.post(change_url(embargoed), data).status_code == 302
    embargoed.refresh_from_db()
    assert embargoed.headline == "Budget leaks, revised"
    assert embargoed.is_embargoed  # untouched by a form without the field


def test_a_preview_link_says_the_story_is_under_embargo(client, embargoed):
    link = previews.create_link(embargoed)
    response = client.get(previews.link_path(link))
    assert response.status_code == 403
    html = response.content.decode()
    assert "under embargo" in html
    assert "Budget leaks" not in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_staff_preview_still_shows_an_embargoed_story(client, editor, embargoed):
    response = client.get(f"/preview/{embargoed.pk}/")
    assert response.status_code == 200
    assert "Budget leaks" in response.content.decode()
