"""Webhooks: events found, POSTed signed to a real receiver on loopback,
retried, and never sent where they must not go."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Article
from articles.scheduler import Scheduler
from articles.webhooks import deliveries, events
from articles.webhooks.models import Delivery, Endpoint
from tests.factories import make_article
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db

ALL = ["published", "updated", "withdrawn", "corrected"]


class Receiver:
    """Answers each POST with the next of `answers` (200 when they run out),
    and keeps what it received; checks nothing itself (the tests do)."""

    def __init__(self):
        self.received = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.path, dict(self.headers), body))
                status, location = (
                    receiver.answers.pop(0) if receiver.answers else (200, None)
                )
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def events(self):
        return [json.loads(body)["event"] for _, _, body in self.received]


@pytest.fixture
def receiver(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on loopback
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def endpoint(url, events=ALL):
    return Endpoint.objects.create(name="Partner", url=url, events=events)


def round_trip():
    events.find()
    deliveries.send_due()


def verify(secret, headers, body):
    """What a partner does: recompute the signature from the timestamp."""
    fields = dict(
        part.split("=", 1) for part in headers["Newsroom-Signature"].split(",")
    )
    expected = hmac.new(
        secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_publish_update_correct_and_withdraw_each_reach_the_partner_signed(receiver):
    partner = endpoint(receiver.url())
    article = make_article(headline="Harbour reopens")
    round_trip()
    publishing.update(article, by=None, headline="Harbour reopens to ferries")
    round_trip()
    publishing.correct(article, by=None, text="The harbour is in the north.")
    round_trip()
    publishing.withdraw(article, by=None, reason="Legal")
    round_trip()
    assert receiver.events() == ["published", "updated", "corrected", "withdrawn"]
    path, headers, body = receiver.received[1]
    assert path == "/hook"
    assert verify(partner.secret, headers, body)
    assert not verify("another secret", headers, body)
    data = json.loads(body)
    assert data["article"]["headlines"][0]["value"] == "Harbour reopens to ferries"
    assert headers["Newsroom-Event"] == "updated"
    assert headers["Newsroom-Delivery"] == str(data["id"])


def test_nothing_happened_nothing_is_sent(receiver):
    endpoint(receiver.url())
    make_article(headline="Harbour reopens")
    round_trip()
    round_trip()
    round_trip()
    assert receiver.events() == ["published"]


def test_an_endpoint_gets_only_the_events_it_asked_for(receiver):
    endpoint(receiver.url(), events=["withdrawn"])
    article = make_article(headline="Harbour reopens")
    round_trip()
    publishing.withdraw(article, by=None, reason="Legal")
    round_trip()
    assert receiver.events() == ["withdrawn"]


def test_a_scheduled_story_is_published_when_it_goes_live(receiver):
    endpoint(receiver.url())
    soon = timezone.now() + timedelta(minutes=5)
    make_article(headline="Embargoed report", published_at=soon)
    round_trip()
    assert receiver.events() == []
    # Its time comes (the story's time is moved, not the clock); no write
    # announces it: the next round finds it live.
    Article.objects.filter(published_at=soon).update(published_at=timezone.now())
    round_trip()
    assert receiver.events() == ["published"]


def test_failures_are_retried_with_growing_waits_then_delivered(receiver):
    endpoint(receiver.url())
    receiver.answers = [(500, None), (503, None)]
    make_article(headline="Harbour reopens")
    round_trip()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.error) == (
        Delivery.Status.PENDING,
        1,
        "answered 500",
    )
    first_wait = delivery.next_attempt_at - timezone.now()
    deliveries.send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - timezone.now() > first_wait * 1.5
    deliveries.send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert len(receiver.received) == 3
    ids = {json.loads(body)["id"] for _, _, body in receiver.received}
    assert ids == {delivery.pk}  # the same delivery id: receivers can dedupe


def test_a_redirect_to_another_host_is_not_followed(receiver):
    endpoint(receiver.url("/moved"))
    receiver.answers = [(307, "http://example.invalid/elsewhere")]
    make_article(headline="Harbour reopens")
    round_trip()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "another host" in delivery.error
    assert len(receiver.received) == 1


def test_a_redirect_on_the_same_host_is_followed(receiver):
    endpoint(receiver.url("/old"))
    receiver.answers = [(308, receiver.url("/new"))]
    make_article(headline="Harbour reopens")
    round_trip()
    assert [path for path, _, _ in receiver.received] == ["/old", "/new"]
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.1.2.3"])
def test_private_and_loopback_addresses_are_refused_unless_allowed(
    receiver, settings, host
):
    settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = False
    port = receiver.server.server_port
    endpoint(f"http://{host}:{port}/hook")
    make_article(headline="Harbour reopens")
    round_trip()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "private, loopback or link-local" in delivery.error
    assert receiver.received == []


def test_the_scheduler_runs_rounds_only_while_an_endpoint_exists(receiver):
    old = make_article(headline="Before any partner")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Article.objects.filter(pk=old.pk).update(
        created_at=an_hour_ago, updated_at=an_hour_ago
    )
    assert "webhook_round" not in str(Scheduler().run_once())
    endpoint(receiver.url())
    make_article(headline="Harbour reopens")
    Scheduler().run_once()
    assert receiver.events() == ["published"]


def test_the_admin_shows_the_log_and_redelivers(client, receiver):
    endpoint(receiver.url())
    make_article(headline="Harbour reopens")
    round_trip()
    admin = login(client, make_user("Admin", is_superuser=True))
    log = admin.get("/admin/webhooks/delivery/")
    assert log.status_code == 200
    assert "Delivered" in log.content.decode()
    response = admin.post(
        "/admin/webhooks/delivery/",
        {"action": "redeliver", "_selected_action": [Delivery.objects.get().pk]},
    )
    assert response.status_code == 302
    assert receiver.events() == ["published", "published"]
