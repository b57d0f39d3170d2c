"""How fresh public content is: the content generation and the next publication.

The *content generation* is a number in the cache that changes on every write
to the newsroom's tables (articles, bylines, tags, sections, authors, images,
...). Whatever is kept for readers (pages, navigation) is keyed by it, so a
write retires all of it at once; nothing has to know which page showed what.

A scheduled article goes live without any write, and a picture whose rights
expire leaves every page without one, so nothing kept for readers may
outlive the *next publication*: the next scheduled go-live or rights expiry,
whichever comes first.

Nothing listens to model signals: every write calls `pages_changed()` itself.
Articles are written by the write path (articles/publishing.py), which does;
the admin's other writes (authors, sections, tags, pictures) go through
`RetiresPages`; a run of many writes (an import) goes inside `bulk_writes()`,
which retires pages once for the whole block instead of once per write.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Article, Image

GENERATION_KEY = "content-generation"
NEXT_PUBLICATION_KEY = "next-publication"

_in_bulk_writes = ContextVar("in_bulk_writes", default=False)


def generation():
    """The current content generation (created when the cache lost it)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def content_changed():
    """Retire every cached page: readers see the change on their next request."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def next_publication():
    """When the next scheduled article goes live or picture's rights expire
    (a timestamp), or None."""
    return current_next_publication(cache.get(NEXT_PUBLICATION_KEY))


def current_next_publication(entry):
    """The timestamp in a cached next-publication `entry`, looked up again if
    the entry is missing or that time has passed."""
    if entry is None or (entry["at"] is not None and entry["at"] <= time.time()):
        entry = remember_next_publication()
    return entry["at"]


def remember_next_publication():
    expiries = Image.objects.filter(rights_expire_at__gt=timezone.now())
    when = (
        Article.objects.scheduled()
        .order_by()
        .values_list("goes_live_at", flat=True)
        .union(expiries.order_by().values_list("rights_expire_at", flat=True))
        .order_by("goes_live_at")
        .first()
    )
    entry = {"at": when.timestamp() if when else None}
    cache.set(NEXT_PUBLICATION_KEY, entry, None)
    return entry


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
    """Retire every cached page (with `articles`, look up the next scheduled
    publication again), now and once the transaction commits."""
    if _in_bulk_writes.get():
        return  # once, at the end of the block
    content_changed()
    if articles:
        remember_next_publication()
    # Again after commit: a page rendered before the write became visible
    # must not stay cached under the new generation.
    transaction.on_commit(content_changed, robust=True)
    if articles:
        transaction.on_commit(remember_next_publication, robust=True)


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
