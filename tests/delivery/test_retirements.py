"""Retirements heard over Redis: hits read nothing, and no retirement is missed.

A private redis-server is the shared cache (as docs/deploy.md deploys it).
"Another process" is played by writing the shared cache and publishing with
a client of the test's own, with this process's own announcement switched off.
"""

import select

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory

from articles import freshness, publishing
from articles.delivery import retirements
from articles.delivery.page_cache import own_key, retire_keys
from articles.delivery.retirements import CHANNEL, HEARTBEAT_SECONDS, RETRY_SECONDS
from articles.models import Article
from newsroom.caches import shared_cache
from tests.factories import make_article
from tests.faults.scratch import ScratchSite
from tests.faults.test_serving_faults import Server
from tests.tasks.services import edit, publish, tasks_env, wait_until

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def listening(settings, redis_server, monkeypatch):
    """The shared cache on the private Redis, a listener of its own, its
    clock moved only by the test."""
    settings.CACHES = {
        **settings.CACHES,
        "default": shared_cache({"CACHE_URL": redis_server.url}, {}),
    }
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    caches["pages"].clear()
    clock = Clock()
    monkeypatch.setattr(retirements, "monotonic", clock)
    listener = retirements.Listener()
    monkeypatch.setattr(retirements, "listener", listener)
    monkeypatch.setattr("articles.delivery.page_cache.listener", listener)
    yield redis_server, listener, clock
    listener.drop()


@pytest.fixture
def story():
    return make_article(headline="Original headline", tags=["Harbour"])


def elsewhere(story, headline, monkeypatch):
    """Another process changes the story and retires its page, without a word
    to this one (the message, if any, is the test's to send)."""
    Article.objects.filter(pk=story.pk).update(headline=headline)
    with monkeypatch.context() as quiet:
        quiet.setattr(freshness, "_announcers", [])
        url = story.get_absolute_url()
        retire_keys([own_key(RequestFactory().get(url))])


def publish_message(server):
    redis.Redis.from_url(server.url).publish(CHANNEL, b"1")


def readable(sock):
    return select.select([sock], [], [], 0)[0]


def page(client, story):
    return client.get(story.get_absolute_url()).content.decode()


def test_a_hit_reads_nothing_from_the_shared_cache(
    client, story, listening, shared_reads
):
    assert "Original headline" in page(client, story)  # stored
    assert "Original headline" in page(client, story)  # checked and stamped
    shared_reads.clear()
    for _ in range(20):
        assert "Original headline" in page(client, story)
    assert shared_reads == []


def test_a_retirement_elsewhere_is_heard_by_the_next_hit(
    client, story, listening, monkeypatch
):
    server, listener, _ = listening
    page(client, story)
    assert "Original headline" in page(client, story)
    elsewhere(story, "Written elsewhere", monkeypatch)
    # Unheard, the copy still stands (see the heartbeat below)...
    assert "Original headline" in page(client, story)
    publish_message(server)
    wait_until(lambda: listener.pubsub.connection.can_read(timeout=0), "the message")
    # ...heard, it is checked, found retired and rendered again.
    assert "Written elsewhere" in page(client, story)


def test_this_processs_own_write_is_heard_at_once(client, story, listening):
    page(client, story)
    assert "Original headline" in page(client, story)
    story.headline = "Corrected headline"
    publishing.update(story, by=None)
    assert "Corrected headline" in page(client, story)


def test_a_lost_message_is_made_up_for_by_the_heartbeat(
    client, story, listening, monkeypatch, shared_reads
):
    _, _, clock = listening
    page(client, story)
    assert "Original headline" in page(client, story)
    elsewhere(story, "Written elsewhere", monkeypatch)  # its message lost
    assert "Original headline" in page(client, story)
    clock.now += HEARTBEAT_SECONDS
    shared_reads.clear()
    assert "Written elsewhere" in page(client, story)
    assert freshness.RETIRED_KEY in shared_reads  # the heartbeat's read


def test_a_broken_subscription_falls_back_to_reading_the_stamp(
    client, story, listening, monkeypatch, shared_reads
):
    server, listener, clock = listening
    page(client, story)
    assert "Original headline" in page(client, story)
    subscription = listener.pubsub.connection
    killed = redis.Redis.from_url(server.url).client_kill_filter(_type="pubsub")
    assert killed == 1
    # (The socket, not the client: asking the client would reconnect it.)
    wait_until(lambda: readable(subscription._sock), "the connection's end")
    elsewhere(story, "Written elsewhere", monkeypatch)  # nobody heard it
    assert "Written elsewhere" in page(client, story)
    shared_reads.clear()
    assert "Written elsewhere" in page(client, story)
    assert shared_reads == [freshness.RETIRED_KEY]  # read, not heard
    # A new subscription, a while later: hits read nothing again.
    clock.now += RETRY_SECONDS
    page(client, story)
    shared_reads.clear()
    assert "Written elsewhere" in page(client, story)
    assert shared_reads == []


def test_redis_gone_leaves_pages_served_and_current(client, story, listening):
    server, listener, _ = listening
    page(client, story)
    assert "Original headline" in page(client, story)
    server.stop()
    Article.objects.filter(pk=story.pk).update(headline="Written while it was down")
    # Nothing heard, nothing read: the copy is not trusted; the page comes
    # from the database.
    assert "Written while it was down" in page(client, story)
    assert listener.pubsub is None


def test_gunicorn_workers_hear_an_unpublish_and_read_nothing_per_hit(
    tmp_path, redis_server
):
    site = ScratchSite(tmp_path)
    try:
        env = tasks_env(site, "immediate", CACHE_URL=redis_server.url)
        story, _ = edit(env, "setup")
        published, _ = publish(env, story)
        server = Server(site, TASKS_BACKEND="immediate", CACHE_URL=redis_server.url)
        try:
            stats = redis.Redis.from_url(redis_server.url)
            for _ in range(6):  # stored, then checked in each worker
                assert server.get(published["url"])[0] == 200
            stats.config_resetstat()
            for _ in range(60):
                assert server.get(published["url"])[0] == 200
            reads = stats.info("commandstats")
            gets = sum(
                reads.get(f"cmdstat_{name}", {}).get("calls", 0)
                for name in ("get", "mget")
            )
            # A heartbeat's read a second a worker, not one a hit.
            assert gets < 20, reads
            done, _ = edit(env, "unpublish", article=published["article"])
            assert done["status"] == 302
            assert server.get(published["url"])[0] == 404
        finally:
            server.stop()
    finally:
        site.drop()
