"""Wire sources polled on a schedule, against a real HTTP server on loopback."""

import hashlib
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.utils import timezone

from articles.ingest import wires
from articles.ingest.models import WireRun, WireSource
from articles.models import Article
from articles.scheduler import Scheduler
from tests.factories import make_section
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db


def rss(*items):
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;</description>"
        f"<author>desk@wire.example (Wire Desk)</author>"
        f"<pubDate>Fri, 04 Dec 2026 08:00:00 +0000</pubDate></item>"
        for guid, title, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Wire</title><link>https://wire.example/</link>{entries}"
        "</channel></rss>"
    ).encode()


class Wire:
    """A feed server: /feed.xml (with ETag and 304), /broken (500),
    /slow (answers only once released), /malformed.xml."""

    def __init__(self):
        self.feed = rss()
        self.requests = []  # (path, If-None-Match)
        self.release = threading.Event()
        wire = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                wire.requests.append((self.path, self.headers.get("If-None-Match")))
                if self.path == "/broken":
                    self.send_error(500)
                elif self.path == "/slow":
                    wire.release.wait()
                    self.send_error(503)
                elif self.path == "/malformed.xml":
                    self.reply(b"<rss><channel><item><title>Cut off")
                else:
                    etag = '"' + hashlib.sha256(wire.feed).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                    else:
                        self.reply(wire.feed, etag)

            def reply(self, body, etag=None):
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def wire(settings):
    settings.NEWSROOM_WIRE_ALLOW_PRIVATE = True  # the test server is on loopback
    settings.NEWSROOM_WIRE_TIMEOUT = 0.5
    server = Wire()
    yield server
    server.stop()


def source(url, **fields):
    return WireSource.objects.create(
        name="Wire", url=url, interval_minutes=10, **fields
    )


def test_a_feed_is_imported_once_and_then_asked_only_what_changed(wire):
    wire.feed = rss(
        ("w-1", "Harbour reopens", "Ferries run."), ("w-2", "Rates held", "No change.")
    )
    feed = source(wire.url("/feed.xml"))

    first = wires.poll(feed)
    assert (first.outcome, first.created) == (WireRun.Outcome.IMPORTED, 2)
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    assert sorted(drafts.values_list("headline", flat=True)) == [
        "Harbour reopens",
        "Rates held",
    ]

    again = wires.poll(feed)  # unchanged: the server answers 304
    assert again.outcome == WireRun.Outcome.NOT_MODIFIED
    assert wire.requests[-1][1] == feed.etag != ""

    wire.feed = rss(
        ("w-1", "Harbour reopens", "Ferries run."),
        ("w-2", "Rates held again", "No change."),
        ("w-3", "Storm warning", "Gales due."),
    )
    third = wires.poll(feed)
    assert (third.created, third.updated, third.unchanged) == (1, 1, 1)
    assert Article.objects.count() == 3


def test_a_publishing_source_puts_stories_on_the_site(wire):
    wire.feed = rss(("w-9", "Bridge opens", "Traffic flows."))
    section = make_section(name="City", slug="city")
    wires.poll(
        source(wire.url("/feed.xml"), policy=WireSource.Policy.PUBLISH, section=section)
    )
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.section == section
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Bridge opens" in page.content.decode()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/broken", "HTTP 500"),
        ("/slow", "timed out"),
        ("/malformed.xml", ""),
    ],
)
def test_a_failing_source_is_recorded_and_backs_off(wire, path, reason):
    feed = source(wire.url(path))
    before = timezone.now()
    run = wires.poll(feed)
    assert run.outcome == WireRun.Outcome.FAILED
    assert reason in run.errors and run.errors
    assert "Traceback" not in run.errors
    feed.refresh_from_db()
    assert feed.failures == 1
    assert feed.next_poll_at >= before + timedelta(minutes=20)  # twice the interval
    wires.poll(feed)
    feed.refresh_from_db()
    assert feed.failures == 2
    assert feed.next_poll_at >= before + timedelta(minutes=40)
    assert not Article.objects.exists()


def test_a_source_recovers_after_failures(wire):
    feed = source(wire.url("/broken"), failures=3)
    feed.url = wire.url("/feed.xml")
    wire.feed = rss(("w-1", "Back online", "Hello."))
    run = wires.poll(feed)
    assert run.outcome == WireRun.Outcome.IMPORTED
    feed.refresh_from_db()
    assert feed.failures == 0


def test_private_addresses_are_refused_unless_allowed(wire, settings):
    settings.NEWSROOM_WIRE_ALLOW_PRIVATE = False
    run = wires.poll(source(wire.url("/feed.xml")))
    assert run.outcome == WireRun.Outcome.FAILED
    assert "loopback" in run.errors
    assert wire.requests == []  # nothing was fetched


def test_the_scheduler_polls_due_sources_once_per_interval(wire):
    wire.feed = rss(("w-1", "Harbour reopens", "Ferries run."))
    feed = source(wire.url("/feed.xml"))
    scheduler = Scheduler()
    scheduler.run_once()  # due (never polled): polled by the task
    scheduler.run_once()  # not due again for ten minutes
    assert feed.runs.count() == 1
    assert len(wire.requests) == 1
    assert Article.objects.count() == 1


def test_a_folder_source_imports_new_and_changed_files(tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "one.xml").write_bytes(rss(("f-1", "Dropped story", "Text.")))
    folder = WireSource.objects.create(name="Agency drop", folder=str(drop))
    assert wires.poll(folder).created == 1
    assert wires.poll(folder).outcome == WireRun.Outcome.NOT_MODIFIED
    (drop / "two.xml").write_bytes(rss(("f-2", "Second story", "More.")))
    run = wires.poll(folder)
    assert (run.created, run.unchanged) == (1, 0)
    assert Article.objects.count() == 2


def test_the_admin_shows_each_sources_health(client, wire):
    ok = source(wire.url("/feed.xml"))
    wire.feed = rss(("w-1", "Harbour reopens", "Ferries run."))
    wires.poll(ok)
    failing = WireSource.objects.create(name="Broken wire", url=wire.url("/broken"))
    wires.poll(failing)
    admin = make_user("Admin", is_superuser=True)
    page = login(client, admin).get("/admin/ingest/wiresource/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Failing (1 in a row)" in html
    assert "1 new, 0 updated, 0 unchanged" in html
