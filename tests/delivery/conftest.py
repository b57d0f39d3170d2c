"""The edge caches the delivery tests purge: loopback HTTP servers that record
what they are sent (purge_server.py), one for each kind of edge; and the
story most of them serve."""

import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

import pytest
from django.utils import timezone

from tests.delivery.purge_server import PurgeServer
from tests.factories import make_article, make_author, make_section


@pytest.fixture
def story():
    """A published story in World, by Ada, tagged Harbour (a module may
    have its own)."""
    return make_article(
        headline="Original headline",
        section=make_section(name="World", slug="world"),
        authors=[make_author(name="Ada", slug="ada")],
        tags=["Harbour"],
    )


@pytest.fixture
def shared_reads(monkeypatch):
    """The keys this process reads from the shared cache, as they are read
    (a `get` made of a `get_many`, as the database cache's is, counts once)."""
    from django.core.cache import caches

    reads = []
    reading = []
    shared = caches["default"]

    def recorded(real):
        def read(key, *args, **kwargs):
            if not reading:
                reads.append(key)
            reading.append(key)
            try:
                return real(key, *args, **kwargs)
            finally:
                reading.pop()

        return read

    for method in ("get", "get_many"):
        monkeypatch.setattr(shared, method, recorded(getattr(shared, method)))
    return reads


@pytest.fixture
def servers():
    with PurgeServer() as varnish, PurgeServer() as fastly, PurgeServer() as cf:
        yield {"varnish": varnish, "fastly": fastly, "cloudflare": cf}


@pytest.fixture
def edge(settings, servers):
    settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["xkey", "Surrogate-Key", "Cache-Tag"]
    settings.NEWSROOM_EDGE_PURGE = [
        {"KIND": "varnish", "URLS": [servers["varnish"].url]},
        {
            "KIND": "fastly",
            "SERVICE_ID": "svc1",
            "API_TOKEN": "fastly-token",
            "API_URL": servers["fastly"].url,
        },
        {
            "KIND": "cloudflare",
            "ZONE_ID": "zone1",
            "API_TOKEN": "cf-token",
            "API_URL": servers["cloudflare"].url,
        },
    ]
    return servers


class Clock:
    """The time as the site sees it: what pages are dated, published and kept
    by. Real time until `set`; then it moves only when told."""

    def __init__(self):
        self.at = None

    def set(self, moment):
        self.at = moment.timestamp()

    def advance(self, seconds):
        self.at += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    real_time = time.time
    monkeypatch.setattr(
        time, "time", lambda: real_time() if clock.at is None else clock.at
    )

    class Now(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.fromtimestamp(time.time(), tz)

    monkeypatch.setattr("django.template.defaulttags.datetime", Now)  # {% now %}
    monkeypatch.setattr("django.utils.timezone.now", lambda: Now.now(UTC))
    return clock


@pytest.fixture
def midnight(clock):
    """The clock stopped at the start of a day (tomorrow's): a whole day
    before pages must be dated again, so lifetimes are the configured ones."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    clock.set(
        datetime.combine(tomorrow, dtime.min, tzinfo=timezone.get_default_timezone())
    )
    return clock
