"""Signing up, confirming and unsubscribing, against a real SMTP server."""

import re

import pytest
from django.test import Client

from articles.newsletters.models import Newsletter, Subscriber

from .conftest import part

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily():
    return Newsletter.objects.create(name="The Daily", slug="daily")


@pytest.fixture
def breaking():
    return Newsletter.objects.create(
        name="Breaking news", slug="breaking", kind=Newsletter.Kind.BREAKING
    )


def sign_up(client, address, *newsletters, **extra):
    return client.post(
        "/newsletters/",
        {"email": address, "newsletters": [n.pk for n in newsletters]},
        **extra,
    )


def confirmation_link(message):
    return re.search(r"http://\S+/newsletters/confirm/\S+/", part(message, "plain"))[0]


def test_signing_up_mails_a_link_and_subscribes_only_once_it_is_followed(
    client, mailbox, daily, breaking
):
    response = sign_up(client, "reader@example.org", daily, breaking)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    [message] = mailbox.to("reader@example.org")
    assert "The Daily" in part(message, "plain")
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.confirmed_at is None
    assert not subscriber.newsletters.exists()

    link = confirmation_link(message)
    page = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "You are subscribed" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.receives_mail
    assert set(subscriber.newsletters.all()) == {daily, breaking}


def test_a_forged_or_cut_link_subscribes_nobody(client, mailbox, daily):
    sign_up(client, "reader@example.org", daily)
    link = confirmation_link(mailbox.messages[0])
    path = link.removeprefix("http://127.0.0.1:8000")
    response = client.get(path[:-6] + "xxxxx/")
    assert response.status_code == 400
    assert not Subscriber.objects.get().newsletters.exists()


def test_the_form_sets_no_cookie_and_is_never_cached(client, daily):
    response = client.get("/newsletters/")
    assert response.status_code == 200
    assert not response.cookies  # no CSRF cookie: nothing an edge would strip
    assert "no-cache" in response["Cache-Control"]
    assert (
        "private" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )


def test_known_and_unknown_addresses_get_the_same_answer(client, mailbox, daily):
    first = sign_up(client, "known@example.org", daily).content
    Subscriber.objects.filter(email="known@example.org").update(
        confirmed_at="2026-01-01T00:00Z"
    )
    again = sign_up(Client(), "known@example.org", daily).content
    fresh = sign_up(Client(), "new@example.org", daily).content
    assert first == again == fresh


def test_a_bad_address_or_no_newsletter_is_a_clear_error(client, mailbox, daily):
    response = sign_up(client, "not an address", daily)
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    response = sign_up(client, "reader@example.org")
    assert response.status_code == 400
    assert "Choose at least one newsletter" in response.content.decode()
    assert mailbox.messages == []


def test_sign_ups_are_limited_per_address_and_per_client(client, mailbox, daily):
    for n in range(3):
        assert (
            sign_up(
                Client(REMOTE_ADDR=f"10.0.0.{n}"), "a@example.org", daily
            ).status_code
            == 200
        )
    assert (
        sign_up(Client(REMOTE_ADDR="10.0.0.9"), "a@example.org", daily).status_code
        == 429
    )
    one_client = Client(REMOTE_ADDR="10.0.1.1")
    for n in range(10):  # 10 per client per hour
        assert sign_up(one_client, f"r{n}@example.org", daily).status_code == 200
    response = sign_up(one_client, "r10@example.org", daily)
    assert response.status_code == 429
    assert "try again later" in response.content.decode().lower()
    assert len(mailbox.to("a@example.org")) == 3


def test_a_suppressed_address_is_mailed_nothing(client, mailbox, daily):
    Subscriber.objects.create(
        email="gone@example.org", suppressed_at="2026-01-01T00:00Z"
    )
    response = sign_up(client, "gone@example.org", daily)
    assert response.status_code == 200
    assert mailbox.messages == []


def test_the_form_says_what_each_newsletter_is(client):
    Newsletter.objects.create(
        name="The Daily",
        slug="the-daily",
        description="Every morning: the stories of the day.",
    )
    Newsletter.objects.create(name="Old list", slug="old", active=False)
    html = client.get("/newsletters/").content.decode()
    assert "Every morning: the stories of the day." in html
    assert "Old list" not in html
