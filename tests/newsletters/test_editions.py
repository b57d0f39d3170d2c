"""Editions: what goes in, what each subscriber receives, at most once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.newsletters import editions, sending
from articles.newsletters.models import Delivery, Edition, Newsletter, Subscriber
from articles.newsletters.tasks import send_edition
from articles.scheduler import Scheduler
from tests.factories import make_article, make_section
from tests.staff import login, make_user

from .conftest import part

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily():
    return Newsletter.objects.create(name="The Daily", slug="daily", send_hour=0)


def subscribe(newsletter, *addresses):
    found = []
    for address in addresses:
        subscriber = Subscriber.objects.create(
            email=address, confirmed_at=timezone.now()
        )
        subscriber.newsletters.add(newsletter)
        found.append(subscriber)
    return found


def todays(newsletter):
    return editions.build_daily(newsletter, timezone.localdate())


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_a_digest_carries_the_days_published_stories_in_both_parts(mailbox, daily):
    make_article(
        headline="Harbour reopens", deck="Ferries run again.", published_at=hours_ago(2)
    )
    make_article(headline="Yesterday's news", published_at=hours_ago(30))
    make_article(headline="Secret draft", status=Article.Status.DRAFT)
    subscribe(daily, "reader@example.org")
    Subscriber.objects.create(email="unconfirmed@example.org").newsletters.add(daily)

    send_edition.enqueue(todays(daily).pk)

    [message] = mailbox.messages
    assert message["To"] == "reader@example.org"
    html, text = part(message, "html"), part(message, "plain")
    for body in (html, text):
        assert "Harbour reopens" in body
        assert "Secret draft" not in body and "Yesterday" not in body
    assert "Ferries run again." in html
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert "/newsletters/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in html and unsubscribe in text


def test_the_header_and_the_body_carry_the_same_unsubscribe_link(
    mailbox, daily, monkeypatch
):
    # A signed link carries the second it was made: let every signing fall in
    # a new second, as it can on a busy worker.
    ticks = iter(range(1_800_000_000, 1_800_001_000))
    monkeypatch.setattr("django.core.signing.time.time", lambda: next(ticks))
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    subscribe(daily, "reader@example.org")

    send_edition.enqueue(todays(daily).pk)

    [message] = mailbox.messages
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe in part(message, "html")
    assert unsubscribe in part(message, "plain")


def test_one_click_unsubscribe_works_and_a_get_only_asks(mailbox, daily):
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    [reader] = subscribe(daily, "reader@example.org")
    send_edition.enqueue(todays(daily).pk)
    path = (
        str(mailbox.messages[0]["List-Unsubscribe"])
        .strip()
        .strip("<>")
        .split("8000", 1)[1]
    )

    asked = Client().get(path)
    assert asked.status_code == 200
    assert reader.newsletters.filter(pk=daily.pk).exists()  # a link scanner's GET

    done = Client().post(path, {"List-Unsubscribe": "One-Click"})  # RFC 8058
    assert done.status_code == 200
    assert not reader.newsletters.filter(pk=daily.pk).exists()


def test_an_edition_reaches_each_subscriber_once_however_often_it_is_sent(
    mailbox, daily
):
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    subscribe(daily, "a@example.org", "b@example.org")
    edition = todays(daily)
    send_edition.enqueue(edition.pk)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.READY)
    send_edition.enqueue(edition.pk)  # an operator presses "send" again
    sending.deliver(edition.pk, list(Subscriber.objects.values_list("pk", flat=True)))
    assert sorted(m["To"] for m in mailbox.messages) == [
        "a@example.org",
        "b@example.org",
    ]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_a_send_killed_after_its_claim_is_never_repeated_and_is_reported(
    admin_client, mailbox, daily
):
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    claimed, other = subscribe(daily, "claimed@example.org", "other@example.org")
    edition = todays(daily)
    # A worker claimed this delivery, then died before SMTP confirmed it.
    Delivery.objects.create(edition=edition, subscriber=claimed)
    send_edition.enqueue(edition.pk)
    assert [m["To"] for m in mailbox.messages] == ["other@example.org"]
    listing = admin_client.get("/admin/newsletters/edition/").content.decode()
    assert "1 sent, 1 claimed, not confirmed sent" in listing


def test_a_hard_bounce_suppresses_the_address_and_a_soft_one_does_not(mailbox, daily):
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    hard, soft, fine = subscribe(
        daily, "gone@example.org", "full@example.org", "ok@example.org"
    )
    mailbox.refuse = {
        "gone@example.org": "550 5.1.1 No such user",
        "full@example.org": "452 4.2.2 Mailbox full",
    }
    send_edition.enqueue(todays(daily).pk)
    assert [m["To"] for m in mailbox.messages] == ["ok@example.org"]
    hard.refresh_from_db()
    soft.refresh_from_db()
    assert hard.suppressed_at is not None and soft.suppressed_at is None
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {
        "gone@example.org": Delivery.Status.BOUNCED,
        "full@example.org": Delivery.Status.FAILED,
        "ok@example.org": Delivery.Status.SENT,
    }


def test_a_large_edition_stays_under_the_size_gmail_clips(daily):
    daily.max_stories = 200
    daily.save()
    for n in range(200):
        make_article(
            headline=f"Story {n} " + "long headline words " * 8,
            deck="A deck that goes on " * 30,
            published_at=hours_ago(1 + n / 1000),
        )
    html, _ = editions.render(todays(daily))
    assert len(html.encode()) < 102 * 1024
    assert "Story 0 " in html  # the newest stay; the oldest are left out
    assert "Story 199 " not in html


def test_a_section_edition_carries_only_its_section(mailbox):
    sport = make_section(name="Sport", slug="sport")
    newsletter = Newsletter.objects.create(
        name="Sport",
        slug="sport-mail",
        kind=Newsletter.Kind.SECTION,
        section=sport,
        send_hour=0,
    )
    make_article(headline="Cup final", section=sport, published_at=hours_ago(1))
    make_article(headline="Budget vote", published_at=hours_ago(1))
    subscribe(newsletter, "fan@example.org")
    send_edition.enqueue(todays(newsletter).pk)
    html = part(mailbox.messages[0], "html")
    assert "Cup final" in html and "Budget vote" not in html


def test_the_scheduler_sends_the_days_edition_once(mailbox, daily):
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    subscribe(daily, "reader@example.org")
    scheduler = Scheduler()
    scheduler.run_once()  # the hour has come (send_hour 0): built and sent
    scheduler.run_once()  # later rounds find today's edition made
    assert Edition.objects.count() == 1
    assert len(mailbox.messages) == 1


def test_the_admin_previews_an_edition(client, daily):
    make_article(headline="Harbour reopens", published_at=hours_ago(1))
    edition = todays(daily)
    editor = make_user("Editor", is_superuser=True)
    response = login(client, editor).get(
        f"/admin/newsletters/edition/{edition.pk}/preview/"
    )
    assert response.status_code == 200
    assert "Harbour reopens" in response.content.decode()
    page = client.get(f"/admin/newsletters/edition/{edition.pk}/change/")
    assert page.status_code == 200
    assert "Preview of the edition" in page.content.decode()


def test_a_breaking_news_edition_goes_out_for_one_story(client, mailbox):
    breaking = Newsletter.objects.create(
        name="Breaking", slug="breaking", kind=Newsletter.Kind.BREAKING
    )
    subscribe(breaking, "alert@example.org")
    story = make_article(headline="Dam breached", published_at=hours_ago(0.1))
    editor = login(client, make_user("Editor", is_superuser=True))
    response = editor.get(f"/admin/newsletters/edition/breaking/{story.pk}/")
    assert response.status_code == 302
    edition = Edition.objects.get(breaking=story)
    assert response["Location"] == f"/admin/newsletters/edition/{edition.pk}/change/"
    editor.post(
        "/admin/newsletters/edition/",
        {"action": "send", "_selected_action": [edition.pk]},
    )
    [message] = mailbox.messages
    assert message["Subject"] == "Breaking: Dam breached"
    assert "Dam breached" in part(message, "html")
    draft = make_article(headline="Not yet", status=Article.Status.DRAFT)
    assert (
        editor.get(f"/admin/newsletters/edition/breaking/{draft.pk}/").status_code
        == 404
    )


def test_the_article_screen_offers_a_live_story_as_breaking_news(client):
    editor = login(client, make_user("Editor", is_superuser=True))
    live = make_article(headline="Dam breached")
    page = editor.get(f"/admin/articles/article/{live.pk}/change/").content.decode()
    assert f'href="/admin/newsletters/edition/breaking/{live.pk}/"' in page
    draft = make_article(headline="Not yet", status=Article.Status.DRAFT)
    page = editor.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert "Send as breaking news" not in page
