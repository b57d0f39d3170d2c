"""The public page cache and conditional GET.

Every public page (articles, listings, feeds, sitemaps, the API) is kept in
Django's cache, tagged with the *content generation*: a number in the cache
that changes on every write to the newsroom's tables (articles, bylines, tags,
sections, authors, images, ...). A write therefore retires every cached page at
once; nothing has to know which pages showed what. A page is stored with the
generation read *before* it was rendered, so a page rendered while a write
landed is never served as current.

A scheduled article goes live without any write, so no cached page (and no
`max-age` sent to browsers and CDNs) may outlive the next scheduled
publication: timeouts are capped at the time left until then.

A cache hit is one cache read (`get_many` of the generation, the next
scheduled publication and the page) and a page is stored as plain values
(ETag, Last-Modified, headers, body bytes), not as a pickled response.
`PageCacheMiddleware` answers hits before sessions, CSRF, authentication and
URL routing; it sits below the middleware that add the security headers, so
cached responses carry them too. `public_page` marks the views whose pages are
cached, stores them on a miss, and works on its own without the middleware.

Responses carry an `ETag` (a hash of the page) and `Last-Modified`, and
conditional requests that match get a 304. Requests with a session cookie
(editors) bypass the cache and are marked private; responses that set their own
`Cache-Control` (previews are `never_cache`) are neither cached nor changed.

Writes that bypass model signals (`QuerySet.update()`, `bulk_create()`) must
call `content_changed()` themselves, or run inside `bulk_writes()`, which
retires pages once for the whole block instead of once per row.

The cache is one every process shares (Redis, or a table in the database:
settings.CACHES), so a task worker's write retires the pages the app servers
serve. The content generation is bumped in the writing request itself, not by
a task: it is one cache write, and the editor's next page shows the change.
`migrate` makes the cache table when the database cache is configured.
"""

import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from .models import Article

GENERATION_KEY = "content-generation"
NEXT_PUBLICATION_KEY = "next-publication"
BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300
VALIDATOR_HEADERS = {
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
}

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


def seconds_left(limit, at):
    """`limit`, or less if the next scheduled article (due `at`) goes live sooner."""
    if at is None:
        return limit
    return max(0, min(limit, int(at - time.time())))


def page_key(request):
    return "page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()


def cached_page(request):
    """The cached response for `request`, or None.

    One cache read: the generation, the next publication and the page. Nothing
    else (no database query) unless the page is there.
    """
    if settings.NEWSROOM_PAGE_CACHE_SECONDS < 1:
        return None  # the page cache is off
    key = page_key(request)
    found = cache.get_many([GENERATION_KEY, NEXT_PUBLICATION_KEY, key])
    entry = found.get(key)
    if entry is None or entry[0] != found.get(GENERATION_KEY):
        return None
    _, etag, last_modified, headers, body = entry
    response = HttpResponse(body, headers=dict(headers))
    response["Content-Length"] = str(len(body))
    at = current_next_publication(found.get(NEXT_PUBLICATION_KEY))
    return finish(request, response, etag, last_modified, at)


def store(request, response, rendered_at_generation, at):
    """Keep `response` as plain values, under the generation read before it was
    rendered, until the next publication at the latest."""
    timeout = seconds_left(settings.NEWSROOM_PAGE_CACHE_SECONDS, at)
    if timeout >= 1:
        entry = (
            rendered_at_generation,
            response["ETag"],
            parse_http_date_safe(response["Last-Modified"]),
            tuple(response.items()),
            response.content,
        )
        cache.set(page_key(request), entry, timeout)


def finish(request, response, etag, last_modified, at):
    """Cache-Control, then a 304 (or 412) if the request's validators match."""
    max_age = seconds_left(BROWSER_MAX_AGE, at)
    response["Cache-Control"] = (
        f"public, max-age={max_age}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
        if max_age
        else "public, max-age=0"
    )
    if request.META.keys().isdisjoint(VALIDATOR_HEADERS):
        return response  # not a conditional request
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def is_cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Cache-Control")
        and not response.cookies
    )


def is_reader_request(request):
    """A GET or HEAD without a session cookie: what the page cache answers."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def public_page(view):
    """Serve `view` from the page cache, with validators and Cache-Control."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = view(request, *args, **kwargs)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response

        # A miss PageCacheMiddleware already looked up is not looked up again.
        if not getattr(request, "page_cache_missed", False):
            response = cached_page(request)
            if response is not None:
                return response
        current = generation()  # before rendering: see store()
        at = next_publication()
        response = view(request, *args, **kwargs)
        if not is_cacheable(response):
            return response
        set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        store(request, response, current, at)
        return finish(
            request,
            response,
            response["ETag"],
            parse_http_date_safe(response["Last-Modified"]),
            at,
        )

    return wrapped


class PageCacheMiddleware:
    """Answer readers' requests for cached pages before the rest of the stack.

    Sessions, CSRF, authentication, messages and URL routing have nothing to do
    for a cached page, so hits skip them. Misses (and every other request) go
    on down the stack; `public_page` renders and stores the page. Keep this
    below the middleware that add security headers (SecurityMiddleware,
    SecurityHeadersMiddleware, XFrameOptionsMiddleware): they apply to hits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_reader_request(request):
            # The host check CommonMiddleware would make (DisallowedHost: 400).
            request.get_host()
            response = cached_page(request)
            if response is not None:
                return response
            request.page_cache_missed = True
        return self.get_response(request)


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


@receiver(post_migrate, dispatch_uid="page_cache_table")
def create_cache_table(sender, using="default", **kwargs):
    """The database cache's table, made (if missing) whenever `migrate` runs,
    so the embedded setup needs no step of its own."""
    if sender.label == "articles":
        call_command("createcachetable", database=using, verbosity=0)
