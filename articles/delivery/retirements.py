"""Retirements heard, not read: a cached hit without a round trip to the
shared cache.

A process serves its copy of a page while the retired stamp it was checked
under stands (page_cache.py); reading the stamp is one round trip to the
shared cache on every hit, most of a hit's time. So every retirement is also
announced (after the stamp has moved: `freshness.set_retired`) on a channel
each process listens to from its first hit: Redis pub/sub (`CHANNEL`) when
Redis is the shared cache, PostgreSQL's LISTEN/NOTIFY (`PG_CHANNEL`) when
the shared cache is its table there (the default settings on PostgreSQL);
none on SQLite, whose cache is files. A hit then only looks whether its
subscription has anything to read (a poll of a local socket, no round trip):
each message heard moves this process's own stamp, `("heard", n)`, which
stamps its copies instead, so every copy checked before the retirement is
checked again.

What is heard is trusted only as far as it can be:

- the subscription is made (and confirmed) before the first copy is stamped
  with what it heard, and a lost, refused or broken one is dropped: copies
  are then stamped and checked with the stamp read as before, and a new
  subscription is tried again RETRY_SECONDS later;
- once every HEARTBEAT_SECONDS a hit reads the stamp all the same, and a stamp
  moved without a message heard (a retirement whose message was lost between
  its two commands) moves this process's stamp too: what is heard is never
  trusted for longer than that;
- this process's own retirements move its stamp at once.

On Redis a message reaches every subscriber when the retiring write's
PUBLISH is answered, a network hop later, long before the editor who made
the change has their answer, or a purge sent after the write commits reaches
an edge cache and it asks this site again. (Channels are the Redis server's,
whatever the database number: sites sharing one server hear each other's
retirements, and check their copies more often, never less.) On PostgreSQL a
NOTIFY is sent in the retiring write's transaction, as the stamp is written
to the cache table in it: both are seen when it commits, never one without
the other, and a rolled-back write announces nothing.
"""

import contextlib
import os
import select
from time import monotonic

import psycopg
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry

from articles.freshness import retired_stamp

CHANNEL = "newsroom:retired"
PG_CHANNEL = "newsroom_retired"
HEARTBEAT_SECONDS = 1.0
RETRY_SECONDS = 5.0
# Connecting to Redis and the subscription's confirmation may take this
# long (to PostgreSQL, two seconds: libpq's shortest connect timeout).
CONNECT_SECONDS = 0.5


class Lost(Exception):
    """The subscription cannot be made, or is broken."""


class RedisChannel:
    """Retirements published on Redis (the shared cache)."""

    @staticmethod
    def announce():
        # If it is lost, the listeners' heartbeat reads the moved stamp.
        with contextlib.suppress(redis.RedisError):
            get_redis_connection("default").publish(CHANNEL, b"1")

    def __init__(self):
        location = settings.CACHES["default"]["LOCATION"]
        if not isinstance(location, str):
            location = location[0]  # the primary
        try:
            self.client = redis.Redis.from_url(
                location,
                socket_connect_timeout=CONNECT_SECONDS,
                socket_timeout=CONNECT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
            self.pubsub = self.client.pubsub()
            self.pubsub.subscribe(CHANNEL)
            confirmed = self.pubsub.get_message(timeout=CONNECT_SECONDS)
        except (redis.RedisError, OSError) as error:
            raise Lost from error
        if confirmed is None or confirmed["type"] != "subscribe":
            self.close()
            raise Lost
        # (The client is kept: its end would close the subscription's
        # connection.) It connects again by itself when its connection
        # breaks; what was published in between is lost, so that ends the
        # listening.
        self.broken = False
        self.pubsub.connection.register_connect_callback(self.connected_again)

    def connected_again(self, connection):
        self.broken = True

    def messages(self):
        """How many retirements were heard since the last look."""
        heard = 0
        try:
            while self.pubsub.connection.can_read(timeout=0):
                message = self.pubsub.get_message(timeout=0)
                heard += message is not None and message["type"] == "message"
        except (redis.RedisError, OSError, AttributeError) as error:
            raise Lost from error
        if self.broken:  # connected again: what was said meanwhile is lost
            raise Lost
        return heard

    def close(self):
        with contextlib.suppress(redis.RedisError, OSError):
            self.pubsub.close()


class PostgresChannel:
    """Retirements notified on PostgreSQL (the shared cache is its table)."""

    @staticmethod
    def announce():
        # In the retiring write's transaction, if there is one: delivered as
        # it commits. (It fails only with the connection, which fails the
        # write's own statements too.)
        with connections[cache_database()].cursor() as cursor:
            cursor.execute(f"NOTIFY {PG_CHANNEL}")

    def __init__(self):
        params = connections[cache_database()].get_connection_params()
        try:
            self.connection = psycopg.connect(
                **{"connect_timeout": 2, **params, "autocommit": True}
            )
            self.connection.execute(f"LISTEN {PG_CHANNEL}")
        except psycopg.Error as error:
            raise Lost from error

    def messages(self):
        """How many retirements were heard since the last look (the
        connection's socket is read only when something came)."""
        pgconn = self.connection.pgconn
        try:
            # Until nothing more came: a connection's end is readable for
            # ever, and read once more, it fails.
            while select.select([pgconn.socket], [], [], 0)[0]:
                pgconn.consume_input()
        except (psycopg.Error, OSError, ValueError) as error:
            raise Lost from error
        heard = 0
        while pgconn.notifies() is not None:
            heard += 1
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            raise Lost
        return heard

    def close(self):
        with contextlib.suppress(psycopg.Error, OSError):
            self.connection.close()


def cache_database():
    """The database the shared cache's table is in."""
    return router.db_for_write(caches["default"].cache_model_class)


def channel():
    """The channel retirements are announced on, for the shared cache
    configured; None if there is none (files on SQLite, memory in tests)."""
    shared = caches["default"]
    if isinstance(shared, RedisCache):
        return RedisChannel
    if (
        isinstance(shared, DatabaseCache)
        and connections[cache_database()].vendor == "postgresql"
    ):
        return PostgresChannel
    return None


def announce():
    """Tell every listening process that pages were retired (after the stamp
    moved). This process hears it at once."""
    listener.heard += 1
    kind = channel()
    if kind is not None:
        kind.announce()


class Listener:
    """This process's subscription to the retirements (one per process: made
    again after a fork)."""

    def __init__(self):
        self.pid = None
        self.channel = None
        self.heard = 0  # messages heard, subscriptions made, moves seen
        self.known = None  # the stamp last read
        self.read_at = float("-inf")
        self.retry_at = float("-inf")

    def stamp(self):
        """This process's stamp, `("heard", n)`, while it listens; None while
        it cannot (the caller reads the shared stamp instead)."""
        if self.pid != os.getpid():
            self.pid, self.channel = os.getpid(), None  # a fork's
        if self.channel is None and not self.subscribe():
            return None
        try:
            self.heard += self.channel.messages()
        except Lost:
            return self.drop()
        now = monotonic()
        if now - self.read_at >= HEARTBEAT_SECONDS:
            stamp = retired_stamp()
            if stamp is None:
                return self.drop()
            if stamp != self.known:
                self.known = stamp
                self.heard += 1
            self.read_at = now
        return ("heard", self.heard)

    def subscribe(self):
        """Subscribe (at most once every RETRY_SECONDS); True once confirmed."""
        kind = channel()
        if kind is None or monotonic() < self.retry_at:
            return False
        self.retry_at = monotonic() + RETRY_SECONDS
        try:
            self.channel = kind()
        except Lost:
            return False
        # Copies stamped before are checked again: what was said before the
        # subscription was not heard.
        self.heard += 1
        self.read_at = float("-inf")  # the stamp is read at once
        return True

    def drop(self):
        """Stop trusting the subscription; the next is tried later."""
        if self.channel is not None:
            self.channel.close()
        self.channel = None
        self.heard += 1
        return None


listener = Listener()
