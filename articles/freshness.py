"""How fresh public content is: the content generation and the next publication.

The *content generation* is a number in the cache that changes on every write
to the newsroom's tables (articles, bylines, tags, sections, authors, images,
...). Whatever is kept for readers (pages, navigation) is keyed by it, so a
write retires all of it at once; nothing has to know which page showed what.

A scheduled article goes live without any write, so nothing kept for readers
may outlive the *next scheduled publication*.

Writes that bypass model signals (`QuerySet.update()`, `bulk_create()`) must
call `content_changed()` themselves, or run inside `bulk_writes()`, which
retires pages once for the whole block instead of once per row.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Article

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
    """When the next scheduled article goes live (a timestamp), or None."""
    return current_next_publication(cache.get(NEXT_PUBLICATION_KEY))


def current_next_publication(entry):
    """The timestamp in a cached next-publication `entry`, looked up again if
    the entry is missing or that time has passed."""
    if entry is None or (entry["at"] is not None and entry["at"] <= time.time()):
        entry = remember_next_publication()
    return entry["at"]


def remember_next_publication():
    when = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    entry = {"at": when.timestamp() if when else None}
    cache.set(NEXT_PUBLICATION_KEY, entry, None)
    return entry


@contextmanager
def bulk_writes():
    """Many writes, pages retired once: at the end of the block and on commit.

    For imports: per-row signals would retire every page (and look up the next
    scheduled publication) once per saved row.
    """
    token = _in_bulk_writes.set(True)
    try:
        yield
    finally:
        _in_bulk_writes.reset(token)
    pages_changed(articles=True)


def pages_changed(articles=False):
    content_changed()
    if articles:
        remember_next_publication()
    # Again after commit: a page rendered before the write became visible
    # must not stay cached under the new generation.
    transaction.on_commit(content_changed, robust=True)
    if articles:
        transaction.on_commit(remember_next_publication, robust=True)


def is_newsroom_model(sender):
    return getattr(getattr(sender, "_meta", None), "app_label", None) == "articles"


@receiver(post_save, dispatch_uid="page_cache_save")
@receiver(post_delete, dispatch_uid="page_cache_delete")
@receiver(m2m_changed, dispatch_uid="page_cache_m2m")
def retire_pages(sender, raw=False, **kwargs):
    if raw or not is_newsroom_model(sender) or _in_bulk_writes.get():
        return
    pages_changed(articles=sender is Article)
