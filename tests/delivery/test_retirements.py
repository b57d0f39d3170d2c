"""Retirements heard, on Redis and on PostgreSQL: hits read nothing, and no
retirement is missed.

The shared cache is a private redis-server (as docs/deploy.md deploys it),
or the cache's table in the test database on PostgreSQL (the default
settings there). "Another process" is played by writing the shared cache
and announcing with a connection of the test's own, with this process's own
announcement switched off. The tests commit (a NOTIFY is delivered when its
transaction commits).
"""

import select

import psycopg
import pytest
import redis
from django.core.cache import caches
from django.db import connection, transaction
from django.test import RequestFactory

from articles import freshness, publishing
from articles.delivery import retirements
from articles.delivery.page_cache import own_key, retire_keys
from articles.delivery.retirements import (
    CHANNEL,
    HEARTBEAT_SECONDS,
    PG_CHANNEL,
    RETRY_SECONDS,
)
from articles.models import Article
from newsroom.caches import shared_cache
from tests.factories import make_article
from tests.faults.scratch import ScratchSite
from tests.faults.test_serving_faults import Server
from tests.tasks.services import edit, publish, tasks_env, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class OnRedis:
    """Another process's side of the channel on the private Redis."""

    def __init__(self, server):
        self.server = server
        self.cache = shared_cache({"CACHE_URL": server.url}, {})

    def announce(self):
        redis.Redis.from_url(self.server.url).publish(CHANNEL, b"1")

    def cut(self, listener):
        """End the subscription's connection from the server's side; its socket."""
        killed = redis.Redis.from_url(self.server.url).client_kill_filter(
            _type="pubsub"
        )
        assert killed == 1
        # (The socket, not the client: asking the client would reconnect it.)
        return listener.channel.pubsub.connection._sock

    def waiting(self, listener):
        return listener.channel.pubsub.connection.can_read(timeout=0)


class OnPostgres:
    """Another process's side of the channel in the test database."""

    def __init__(self, settings):
        if connection.vendor != "postgresql":
            pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
        self.cache = shared_cache({}, settings.DATABASES["default"])

    def other(self):
        return psycopg.connect(**connection.get_connection_params(), autocommit=True)

    def announce(self):
        with self.other() as other:
            other.execute(f"NOTIFY {PG_CHANNEL}")

    def cut(self, listener):
        pid = listener.channel.connection.info.backend_pid
        with self.other() as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return listener.channel.connection.pgconn.socket

    def waiting(self, listener):
        return readable(listener.channel.connection.pgconn.socket)


@pytest.fixture(params=["redis", "postgresql"])
def listening(request, settings, monkeypatch):
    """The shared cache (on a private Redis, or a table of the test database),
    a listener of its own, its clock moved only by the test."""
    if request.param == "redis":
        side = OnRedis(request.getfixturevalue("redis_server"))
    else:
        side = OnPostgres(settings)
    settings.CACHES = {**settings.CACHES, "default": side.cache}
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["pages"].clear()
    clock = Clock()
    monkeypatch.setattr(retirements, "monotonic", clock)
    listener = retirements.Listener()
    monkeypatch.setattr(retirements, "listener", listener)
    monkeypatch.setattr("articles.delivery.page_cache.listener", listener)
    yield side, listener, clock
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


def readable(sock):
    return select.select([sock], [], [], 0)[0]


def page(client, story):
    return client.get(story.get_absolute_url()).content.decode()


def test_a_hit_reads_nothing_from_the_shared_cache(
    client, story, listening, shared_reads, django_assert_num_queries
):
    assert "Original headline" in page(client, story)  # stored
    assert "Original headline" in page(client, story)  # checked and stamped
    shared_reads.clear()
    with django_assert_num_queries(0):
        for _ in range(20):
            assert "Original headline" in page(client, story)
    assert shared_reads == []


def test_on_postgresql_a_write_is_announced_as_it_commits(listening, story):
    side, _, _ = listening
    if not isinstance(side, OnPostgres):
        pytest.skip("Redis hears of it when it is published")
    with side.other() as other:
        other.execute(f"LISTEN {PG_CHANNEL}")
        with transaction.atomic():
            publishing.update(story, by=None, headline="Corrected headline")
            assert list(other.notifies(timeout=0.2, stop_after=1)) == []
        heard = {n.channel for n in other.notifies(timeout=5, stop_after=1)}
    assert heard == {PG_CHANNEL}


def test_a_retirement_elsewhere_is_heard_by_the_next_hit(
    client, story, listening, monkeypatch
):
    side, listener, _ = listening
    page(client, story)
    assert "Original headline" in page(client, story)
    elsewhere(story, "Written elsewhere", monkeypatch)
    # Unheard, the copy still stands (see the heartbeat below)...
    assert "Original headline" in page(client, story)
    side.announce()
    wait_until(lambda: side.waiting(listener), "the message")
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
    side, listener, clock = listening
    page(client, story)
    assert "Original headline" in page(client, story)
    socket = side.cut(listener)
    wait_until(lambda: readable(socket), "the connection's end")
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
    side, listener, _ = listening
    if not isinstance(side, OnRedis):
        pytest.skip("without its database, no page is served")
    page(client, story)
    assert "Original headline" in page(client, story)
    side.server.stop()
    Article.objects.filter(pk=story.pk).update(headline="Written while it was down")
    # Nothing heard, nothing read: the copy is not trusted; the page comes
    # from the database.
    assert "Written while it was down" in page(client, story)
    assert listener.channel is None


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
