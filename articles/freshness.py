"""How fresh public content is: the content generation and the next publication.

The *content generation* is a number in the cache that changes on writes to
the newsroom's tables (articles, bylines, tags, sections, authors, images,
...). Whatever is kept for readers (pages, navigation) is keyed by it, so such
a write retires all of it at once; nothing has to know which page showed what.

A write to articles need not retire everything: when an app keeps pages by
what they show (the delivery app's page cache, by surrogate key), it registers
how to retire them (`retire_by_key`) and `articles_changed()` retires only the
pages that showed or show the changed articles. Without such an app, or inside
`bulk_writes()`, every page is retired.

A scheduled article goes live without any write, and a picture whose rights
expire leaves every page without one, so nothing kept for readers may
outlive the *next publication*: the next scheduled go-live or rights expiry,
whichever comes first. The generation and the next publication live in one
cache entry (`FRESHNESS_KEY`). Pages also show today's date (the masthead), so
nothing kept for readers outlives the day either (`day_ends()`).

Every retirement also moves one more number, the *retired stamp*
(`RETIRED_KEY`): a new generation here, or an app retiring pages by key. A
process that keeps a copy of a page it checked may stamp the copy with it and,
while the stamp stands, serve the copy with that one read: nothing anywhere
was retired since the check. An app may also have every retirement announced
(`announce_retirements`), so that processes hear of it instead of reading
the stamp (the delivery app, on Redis: articles/delivery/retirements.py).

Nothing listens to model signals: every write calls `pages_changed()` itself.
Articles are written by the write path (articles/publishing.py), which does;
the admin's other writes (authors, sections, tags, pictures) go through
`RetiresPages`; a run of many writes (an import) goes inside `bulk_writes()`,
which retires pages once for the whole block instead of once per write.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Article, Image

# One entry, {"generation": ..., "at": the next publication's timestamp or
# None}, so a cached page's hit reads both at once.
FRESHNESS_KEY = "freshness"
# A new number (time.time_ns()) after every retirement, written with it.
RETIRED_KEY = "retired"

_in_bulk_writes = ContextVar("in_bulk_writes", default=False)
# `retire(records)`, set by the app that keeps pages by what they show.
_retirers = []
# `announce()`, set by an app whose processes listen for retirements.
_announcers = []


def current(entry):
    """The freshness `entry` read from the cache, made again if the cache lost
    it or its next publication has come."""
    if entry is None:
        cache.add(FRESHNESS_KEY, new_entry(), None)
        entry = cache.get(FRESHNESS_KEY) or new_entry()
    elif entry["at"] is not None and entry["at"] <= time.time():
        entry = remember_next_publication()
    return entry


def generation_of(entry):
    """The generation in the freshness `entry`; if the cache lost it, a new
    one made without a query (its next publication, marked passed, is looked
    up when first needed, which retires what was stored under it)."""
    if entry is None:
        cache.add(FRESHNESS_KEY, {"generation": time.time_ns(), "at": -1}, None)
        entry = cache.get(FRESHNESS_KEY) or {"generation": 0}
    return entry["generation"]


def generation():
    """The current content generation."""
    return current(cache.get(FRESHNESS_KEY))["generation"]


def generation_for(request):
    """The content generation, read once per request (`request` may be None)
    however much of the page (navigation, story cards) is kept under it."""
    if request is None:
        return generation()
    try:
        return request.content_generation
    except AttributeError:
        request.content_generation = generation()
        return request.content_generation


def next_publication():
    """When the next scheduled article goes live or picture's rights expire
    (a timestamp), or None."""
    return current(cache.get(FRESHNESS_KEY))["at"]


# (time zone, the timestamp its day ends at), worked out once a day.
_day = [(None, 0.0)]


def day_ends():
    """When today ends in the site's time zone (a timestamp): the next
    midnight, when every page's date changes."""
    zone = timezone.get_default_timezone()
    known, ends = _day[0]
    now = time.time()
    if known is not zone or ends <= now:
        today = datetime.fromtimestamp(now, zone).date()
        tomorrow = today + timedelta(days=1)
        ends = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone)
        _day[0] = (zone, ends.timestamp())
    return _day[0][1]


def content_changed():
    """Retire every cached page: readers see the change on their next request."""
    set_retired({FRESHNESS_KEY: new_entry()})


def set_retired(entries):
    """Set the cache `entries` that retire pages, and the retired stamp moved
    after them, in one `set_many`; then announce the retirement."""
    cache.set_many({**entries, RETIRED_KEY: time.time_ns()}, None)
    for announce in _announcers:
        announce()


def announce_retirements(announce):
    """Have `announce()` called after every retirement (from an app's ready())."""
    _announcers[:] = [announce]


def stamp_of(name):
    """The number under `name` in the cache, made (a new one) if the cache
    lost it; None if the cache cannot give one (it is down)."""
    value = cache.get(name)
    if value is None:
        cache.add(name, time.time_ns(), None)
        value = cache.get(name)
    return value


def retired_stamp():
    """The retired stamp, or None while the cache cannot give it."""
    return stamp_of(RETIRED_KEY)


def new_entry():
    expiries = Image.objects.filter(rights_expire_at__gt=timezone.now())
    when = (
        Article.objects.scheduled()
        .order_by()
        .values_list("goes_live_at", flat=True)
        .union(expiries.order_by().values_list("rights_expire_at", flat=True))
        .order_by("goes_live_at")
        .first()
    )
    return {"generation": time.time_ns(), "at": when.timestamp() if when else None}


def remember_next_publication():
    """Look the next scheduled publication up again. If it moved, every page
    is retired: each was kept no longer than until the one it was stored
    under. (That is every go-live, when they have all expired anyway, and a
    story scheduled sooner or taken off the schedule.)"""
    entry = cache.get(FRESHNESS_KEY)
    fresh = new_entry()
    if entry is not None and entry["at"] == fresh["at"]:
        return entry
    set_retired({FRESHNESS_KEY: fresh})
    return fresh


@contextmanager
def bulk_writes():
    """Many writes, pages retired once: at the end of the block and on commit.

    For imports: each write would retire every page (and look up the next
    scheduled publication) once per saved row.
    """
    token = _in_bulk_writes.set(True)
    try:
        yield
    finally:
        _in_bulk_writes.reset(token)
    pages_changed(articles=True)


def pages_changed(articles=False):
    """Retire every cached page and look up the next scheduled publication
    again, now and once the transaction commits. (`articles`: the write
    changed articles; the same here.)"""
    if _in_bulk_writes.get():
        return  # once, at the end of the block
    # The next publication is looked up with every new generation.
    content_changed()
    if in_transaction():
        # Again after commit: a page rendered before the write became
        # visible must not stay cached under the new generation.
        transaction.on_commit(content_changed, robust=True)


def retire_by_key(retire):
    """Let an app retire the pages of changed articles itself (from its
    ready()): `retire(records)` with (article id or None, what its pages showed
    before the write) pairs, the records of a purge (articles/purges.py)."""
    _retirers[:] = [retire]


def retires_by_key():
    return bool(_retirers)


def articles_changed(records, *, schedule=True):
    """Retire the pages that showed or show the articles of `records`, now and
    once the transaction commits (every page, if no app retires by key).
    `schedule=False`: the write changed no article's status or times nor any
    picture's rights (related links), so the next scheduled publication is
    not looked up again."""
    if _in_bulk_writes.get():
        return  # once, at the end of the block
    if not _retirers:
        pages_changed(articles=True)
        return
    retire = _retirers[0]

    def retire_after_commit():
        retire(records)

    retire(records)
    if schedule:
        remember_next_publication()
    if in_transaction():
        # Again after commit: a page rendered before the write became
        # visible must not stay cached as current.
        transaction.on_commit(retire_after_commit, robust=True)
        if schedule:
            transaction.on_commit(remember_next_publication, robust=True)


def in_transaction():
    """Is a write not yet committed? (Outside a transaction it is: what
    `on_commit` would run again runs at once, a second time for nothing.)"""
    return transaction.get_connection().in_atomic_block


class RetiresPages:
    """For the admin of a newsroom model other than Article (authors,
    sections, tags, pictures): every save and delete retires the pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pages_changed(articles=True)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages_changed(articles=True)
