"""Retirements heard, not read: a cached hit without a round trip to Redis.

A process serves its copy of a page while the retired stamp it was checked
under stands (page_cache.py); reading the stamp is one round trip to the
shared cache on every hit, most of a hit's time. With Redis as the shared
cache, every retirement is also published on `CHANNEL` (after the stamp has
moved: `freshness.set_retired`), and each process subscribes to it on its
first hit. A hit then only looks whether its subscription has anything to
read (a poll of a local socket, no round trip): each message heard moves this
process's own stamp, `("heard", n)`, which stamps its copies instead, so
every copy checked before the retirement is checked again.

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

A message is sent to every subscriber when the retiring write's PUBLISH is
answered; it reaches a process's socket a network hop later, long before the
editor who made the change has their answer, or a purge sent after the write
commits reaches an edge cache and it asks this site again. (Channels are
the Redis server's, whatever the database number: sites sharing one server
hear each other's retirements, and check their copies more often, never
less.)
"""

import contextlib
import os
from time import monotonic

import redis
from django.conf import settings
from django.core.cache import caches
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry

from articles.freshness import retired_stamp

CHANNEL = "newsroom:retired"
HEARTBEAT_SECONDS = 1.0
RETRY_SECONDS = 5.0
# Connecting and the subscription's confirmation may take this long.
CONNECT_SECONDS = 0.5


def announce():
    """Tell every listening process that pages were retired (after the stamp
    moved). This process hears it at once."""
    listener.heard += 1
    if is_redis():
        # If it is lost, the listeners' heartbeat reads the moved stamp.
        with contextlib.suppress(redis.RedisError):
            get_redis_connection("default").publish(CHANNEL, b"1")


def is_redis():
    return isinstance(caches["default"], RedisCache)


class Listener:
    """This process's subscription to the retirements (one per process: made
    again after a fork)."""

    def __init__(self):
        self.pid = None
        self.client = self.pubsub = None
        self.heard = 0  # messages heard, subscriptions made, moves seen
        self.known = None  # the stamp last read
        self.read_at = float("-inf")
        self.retry_at = float("-inf")
        self.broken = False

    def stamp(self):
        """This process's stamp, `("heard", n)`, while it listens; None while
        it cannot (the caller reads the shared stamp instead)."""
        if self.pid != os.getpid():
            self.pid, self.client, self.pubsub = os.getpid(), None, None  # a fork's
        if self.pubsub is None and not self.subscribe():
            return None
        try:
            while self.pubsub.connection.can_read(timeout=0):
                self.hear(self.pubsub.get_message(timeout=0))
        except (redis.RedisError, OSError, AttributeError):
            return self.drop()
        if self.broken:  # connected again: what was said meanwhile is lost
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

    def hear(self, message):
        if message is not None and message["type"] in ("message", "subscribe"):
            self.heard += 1

    def subscribe(self):
        """Subscribe (at most once every RETRY_SECONDS); True once confirmed."""
        if not is_redis() or monotonic() < self.retry_at:
            return False
        self.retry_at = monotonic() + RETRY_SECONDS
        location = settings.CACHES["default"]["LOCATION"]
        if not isinstance(location, str):
            location = location[0]  # the primary
        try:
            client = redis.Redis.from_url(
                location,
                socket_connect_timeout=CONNECT_SECONDS,
                socket_timeout=CONNECT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
            pubsub = client.pubsub()
            pubsub.subscribe(CHANNEL)
            confirmed = pubsub.get_message(timeout=CONNECT_SECONDS)
        except (redis.RedisError, OSError):
            return False
        if confirmed is None or confirmed["type"] != "subscribe":
            pubsub.close()
            return False
        # (The client is kept: its end would close the subscription's connection.)
        self.client, self.pubsub, self.broken = client, pubsub, False
        # The client connects again by itself when its connection breaks;
        # what was published in between is lost, so that ends the listening.
        pubsub.connection.register_connect_callback(self.connected_again)
        self.hear(confirmed)
        self.read_at = float("-inf")  # the stamp is read at once
        return True

    def connected_again(self, connection):
        self.broken = True

    def drop(self):
        """Stop trusting the subscription; the next is tried later."""
        if self.pubsub is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                self.pubsub.close()
        self.client = self.pubsub = None
        self.heard += 1
        return None


listener = Listener()
