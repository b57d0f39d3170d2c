"""The writing screen's actions: what each offers, does and refuses, by role."""

import logging
from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

BUTTON = '<button type="submit" name="_action" value="{}"'


def client_for(role, **fields):
    user = make_user(role, **fields)
    return login(Client(), user), user


@pytest.fixture
def draft():
    return make_article(headline="Council budget", status="draft", published_at=None)


def offered(response):
    html = response.content.decode()
    names = ["draft", "review", "save", "publish", "schedule", "unpublish", "withdraw"]
    return [name for name in names if BUTTON.format(name) in html]


def test_an_editor_is_offered_every_action_a_draft_has(draft):
    client, _ = client_for("Editor")
    response = client.get(change_url(draft))
    assert response.status_code == 200
    assert offered(response) == ["draft", "review", "publish", "schedule"]
    html = response.content.decode()
    assert "Saves and puts the article on the site at once" in html
    assert 'id="id_status"' in html and 'type="hidden" name="status"' in html


def test_a_reporter_sees_only_what_they_may_do(draft):
    client, reporter = client_for("Reporter")
    draft.created_by = reporter
    draft.save()
    response = client.get(change_url(draft))
    assert response.status_code == 200
    assert offered(response) == ["draft", "review"]
    assert "Schedule…" not in response.content.decode()


def test_a_live_article_offers_save_unpublish_and_withdraw():
    client, _ = client_for("Editor")
    response = client.get(change_url(make_article()))
    assert offered(response) == ["save", "unpublish", "withdraw"]


def test_publish_now_puts_it_live_and_stays_on_the_article(draft):
    client, _ = client_for("Editor")
    response = client.post(change_url(draft), change_data(draft, _action="publish"))
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    draft.refresh_from_db()
    assert draft.is_live
    assert timezone.now() - draft.published_at < timedelta(minutes=1)
    page = client.get(change_url(draft)).content.decode()
    assert "Published: readers can see it now." in page


def test_saving_after_publish_now_leaves_the_publication_time_alone(draft):
    """The form shows the time to the second: publishing now keeps it to the
    second, so the next save changes no publication time (before, every
    first save after publishing recorded one, and a colleague's conflict
    listed it as their change)."""
    client, _ = client_for("Editor")
    client.post(change_url(draft), change_data(draft, _action="publish"))
    draft.refresh_from_db()
    published_at = draft.published_at
    response = client.post(
        change_url(draft), change_data(draft, deck="New deck.", _action="save")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.deck == "New deck."
    assert draft.published_at == published_at
    saved, published = draft.revisions.order_by("-number")[:2]
    assert saved.data["published_at"] == published.data["published_at"]


def test_schedule_in_the_newsroom_time_zone(draft, settings):
    settings.TIME_ZONE = "Europe/London"
    client, _ = client_for("Editor")
    page = client.get(change_url(draft)).content.decode()
    assert "time zone: Europe/London" in page
    data = change_data(
        draft,
        _action="schedule",
        published_at_0="2031-07-01",
        published_at_1="09:30:00",
    )
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled
    # 09:30 in London in summer is 08:30 UTC.
    assert draft.published_at.astimezone(UTC).strftime("%H:%M") == "08:30"


def test_schedule_refuses_a_time_in_the_past(draft):
    client, _ = client_for("Editor")
    past = timezone.localtime() - timedelta(days=1)
    data = change_data(
        draft,
        _action="schedule",
        published_at_0=past.strftime("%Y-%m-%d"),
        published_at_1="10:00:00",
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "Choose a date and time in the future" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_withdraw_asks_for_the_reason():
    article = make_article()
    client, _ = client_for("Editor")
    response = client.post(
        change_url(article), change_data(article, _action="withdraw")
    )
    assert response.status_code == 200
    assert "Tell readers why the article was withdrawn." in response.content.decode()
    article.refresh_from_db()
    assert article.is_live

    data = change_data(article, _action="withdraw", withdrawn_reason="Legal advice.")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.withdrawn_reason == "Legal advice."


def test_unpublish_makes_it_a_draft_again():
    article = make_article()
    client, _ = client_for("Editor")
    data = change_data(article, _action="unpublish")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_send_for_review(draft):
    client, reporter = client_for("Reporter")
    draft.created_by = reporter
    draft.save()
    data = change_data(draft, _action="review")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


@pytest.mark.parametrize("action", ["publish", "schedule", "unpublish", "withdraw"])
def test_the_server_refuses_a_reporter_an_editors_action(draft, action, caplog):
    client, reporter = client_for("Reporter")
    draft.created_by = reporter
    draft.save()
    future = timezone.localtime() + timedelta(days=2)
    data = change_data(
        draft,
        _action=action,
        withdrawn_reason="Because",
        published_at_0=future.strftime("%Y-%m-%d"),
        published_at_1="10:00:00",
    )
    with caplog.at_level(logging.WARNING, logger="articles.workflow"):
        response = client.post(change_url(draft), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Only an editor can publish" in html
        or "That action does not apply to this article" in html
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None


def test_an_action_the_state_does_not_offer_is_refused(draft):
    client, _ = client_for("Editor")
    data = change_data(draft, _action="withdraw", withdrawn_reason="No.")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "That action does not apply to this article" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_a_plain_save_keeps_a_live_articles_time_and_reason():
    article = make_article(withdrawn_reason="")
    when = article.published_at
    client, _ = client_for("Editor")
    data = change_data(article, headline="New headline", _action="save")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert article.is_live
    assert article.published_at == when.replace(microsecond=0)
    assert article.headline == "New headline"


@pytest.mark.parametrize(
    "fields, actions",
    [
        (
            {"status": "draft", "published_at": None},
            ["draft", "review", "publish", "schedule"],
        ),
        (
            {"status": "review", "published_at": None},
            ["draft", "save", "publish", "schedule"],
        ),
        ({"status": "published"}, ["save", "unpublish", "withdraw"]),
        (
            {"status": "published", "published_at": timezone.now() + timedelta(days=1)},
            ["save", "publish", "schedule", "unpublish"],
        ),
        (
            {"status": "withdrawn", "withdrawn_reason": "Legal."},
            ["save", "publish", "unpublish"],
        ),
    ],
)
def test_each_state_offers_its_actions_and_the_time_and_reason_once(fields, actions):
    """A plain save sends the time and reason back as they were: never lost,
    never doubled."""
    client, _ = client_for("Editor")
    response = client.get(change_url(make_article(**fields)))
    assert offered(response) == actions
    html = response.content.decode()
    assert html.count('name="published_at_0"') == 1
    assert html.count('name="withdrawn_reason"') == 1
