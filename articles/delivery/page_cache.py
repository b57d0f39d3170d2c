"""The public page cache and conditional GET.

Public pages (articles, listings, feeds, sitemaps, the API) say so with
Django's own means: their views are decorated with
`cache_control(public=True)` and leave the rest to this middleware. It keeps
them in Django's cache, tagged with the content generation
(articles/freshness.py): a write retires every cached page at once. A page is
stored with the generation read *before* it was rendered, so a page rendered
while a write landed is never served as current.

A scheduled article goes live without any write, so no cached page (and no
`max-age` sent to browsers and CDNs) may outlive the next scheduled
publication: timeouts are capped at the time left until then.

A page is stored as plain values (ETag, Last-Modified, headers, body bytes),
not as a pickled response, in the cache every process shares and in a small
memory of this process (the `pages` cache). A hit reads the generation and
the next scheduled publication from the shared cache (small values, one
`get_many`) and the page from this process's memory when it holds it under
the current generation; only otherwise is the page read from the shared
cache. So a write in any process still retires every copy, and a hit does
not move a page's bytes through the shared cache.
`PageCacheMiddleware` answers hits before sessions, CSRF, authentication and
URL routing; it sits below the middleware that add the security headers, so
cached responses carry them too.

Responses carry an `ETag` (a hash of the page) and `Last-Modified`, and
conditional requests that match get a 304. Requests with a session cookie
(editors) bypass the cache and are marked private; responses that set any
other `Cache-Control` (previews are `never_cache`) are neither cached nor
changed.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from articles.freshness import (
    GENERATION_KEY,
    NEXT_PUBLICATION_KEY,
    current_next_publication,
    generation,
)

BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300
VALIDATOR_HEADERS = {
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
}
# What `cache_control(public=True)` writes, and nothing else: a view that says
# more about caching (never_cache, private, a max-age) keeps its own header.
PUBLIC_MARK = "public"


def seconds_left(limit, at):
    """`limit`, or less if the next scheduled article (due `at`) goes live sooner."""
    if at is None:
        return limit
    return max(0, min(limit, int(at - time.time())))


def page_key(request):
    return "page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()


def look_up(request):
    """{generation, next publication, page} as cached for `request`."""
    if settings.NEWSROOM_PAGE_CACHE_SECONDS < 1:  # the page cache is off
        return {"next_publication": cache.get(NEXT_PUBLICATION_KEY)}
    key = page_key(request)
    found = cache.get_many([GENERATION_KEY, NEXT_PUBLICATION_KEY])
    current = found.get(GENERATION_KEY)
    scheduled = found.get(NEXT_PUBLICATION_KEY)
    here = caches["pages"]
    page = here.get(key)
    if current is not None and (page is None or page[0] != current):
        page = cache.get(key)  # rendered by another process
        if page is not None and page[0] == current and scheduled is not None:
            limit = settings.NEWSROOM_PAGE_CACHE_SECONDS
            here.set(key, page, seconds_left(limit, scheduled["at"]))
    return {"generation": current, "next_publication": scheduled, "page": page}


def cached_page(request, found):
    """The cached response for `request` from what `look_up` found, or None.

    Nothing else (no database query) unless the page is there.
    """
    entry = found.get("page")
    if entry is None or entry[0] != found["generation"]:
        return None
    _, etag, last_modified, headers, body = entry
    response = HttpResponse(body, headers=dict(headers))
    response["Content-Length"] = str(len(body))
    at = current_next_publication(found["next_publication"])
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
        key = page_key(request)
        cache.set(key, entry, timeout)
        caches["pages"].set(key, entry, timeout)


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


def is_public_page(response):
    """Did the view mark `response` as a public page (and say nothing else)?"""
    return response.get("Cache-Control", "").strip().lower() == PUBLIC_MARK


def is_cacheable(response):
    return (
        response.status_code == 200 and not response.streaming and not response.cookies
    )


class PageCacheMiddleware:
    """Serve readers' public pages from the page cache, with validators and
    Cache-Control.

    Sessions, CSRF, authentication, messages and URL routing have nothing to do
    for a cached page, so hits are answered before them. A miss goes on down
    the stack; if the view marked its response public, it is stored on the way
    back. Keep this below the middleware that add security headers
    (SecurityMiddleware, SecurityHeadersMiddleware, XFrameOptionsMiddleware):
    they apply to hits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.editors_page(request)

        # The host check CommonMiddleware would make (DisallowedHost: 400).
        request.get_host()
        found = look_up(request)
        response = cached_page(request, found)
        if response is not None:
            return response
        # Read before rendering: see store(). (Nothing is stored when off.)
        current = None
        if settings.NEWSROOM_PAGE_CACHE_SECONDS >= 1:
            current = found.get("generation") or generation()
        response = self.get_response(request)
        if not is_public_page(response):
            return response
        del response["Cache-Control"]  # the mark; the policy is set below
        if not is_cacheable(response):
            return response
        at = current_next_publication(found.get("next_publication"))
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

    def editors_page(self, request):
        """A request with a session: never from the cache, never into one."""
        response = self.get_response(request)
        if is_public_page(response):
            del response["Cache-Control"]
            patch_cache_control(response, private=True, no_cache=True)
        return response
