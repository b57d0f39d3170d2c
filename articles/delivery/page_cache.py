"""The public page cache and conditional GET.

Public pages (articles, listings, feeds, sitemaps, the API) say so with
Django's own means: their views are decorated with
`cache_control(public=True)` and leave the rest to this middleware. It keeps
them in Django's cache under two generations: the content generation
(articles/freshness.py), which a write to anything but stories bumps to
retire every page, and the generation of the page's own surrogate key
(surrogate_keys.py: the story's page, home, a section's, tag's or author's
listing...), which a write to stories bumps for exactly the pages that
showed or show them (render_ahead.py). A page is stored with both read
*before* it was rendered (its key from its address), so a page rendered
while a write landed is never served as current.

A scheduled article goes live without any write, so no cached page (and no
`max-age` sent to browsers and CDNs) may outlive the next scheduled
publication: timeouts are capped at the time left until then, and at the end
of the day (pages show the date in the masthead).

A page is stored as plain values (its key, ETag, Last-Modified, headers,
body bytes), not as a pickled response, in the cache every process shares
and in a small memory of this process (the `pages` cache, memory.py). The
copy in memory is stamped with the *retired stamp* (freshness.py), which
every retirement moves, as read before the copy was last checked. A hit
reads that one number: while it stands and the next publication has not come,
the copy is served as it is. Otherwise the page (from memory, else from the
shared cache) is checked against what it was stored under, in one
`get_many`: the freshness entry (generation and next publication) and its
key's generation, and stamped again if it is still current. So a write in any
process still retires every copy, a hit reads one small entry of the shared
cache, and it does not move a page's bytes through it. On Redis, and on the
cache's table in PostgreSQL, a process hears of retirements instead of
reading the stamp, and a hit reads nothing from the shared cache
(retirements.py).

`PageCacheMiddleware` answers hits before sessions, CSRF, authentication and
URL routing. Cached responses carry the security headers: those that depend
on the request are added above it on every response, those that depend only
on the page (its Content-Security-Policy, X-Frame-Options) below it, stored
with the page.

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
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from articles.freshness import (
    FRESHNESS_KEY,
    current,
    day_ends,
    generation_of,
    retired_stamp,
    set_retired,
    stamp_of,
)

from . import surrogate_keys
from .retirements import listener

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
# + a surrogate key (surrogate_keys.py): the generation of the pages under it.
KEY_GENERATION = "pages-of:"
# Where the offer of an answer to the WSGI front is made (request.META).
OFFER = "newsroom.answer"


def kept_until(at):
    """When a page stored now stops being current: the next scheduled
    article's going live (`at`, or None) or the day's end (the masthead shows
    the date), whichever is sooner."""
    return day_ends() if at is None else min(at, day_ends())


def seconds_left(limit, at):
    """`limit`, or less if the page stops being current sooner (kept_until)."""
    return max(0, min(limit, int(kept_until(at) - time.time())))


def page_key(request):
    """The page's key: its address, and the settings that shape the headers
    stored with it (a page stored before they changed is not served)."""
    shaped_by = f"{settings.HTTPS} {settings.X_FRAME_OPTIONS} "
    address = shaped_by + request.get_full_path()
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def key_generation_key(own):
    return KEY_GENERATION + own


def own_key(request):
    """The surrogate key of the page `request` asks for, read before it is
    rendered (the view resolves the URL again)."""
    try:
        return surrogate_keys.own_key(resolve(request.path_info))
    except Resolver404:
        return "page"


def key_generation(own):
    """The generation of the pages under the surrogate key `own` (created
    when the cache lost it: pages stored under the lost one are retired)."""
    value = stamp_of(key_generation_key(own))
    return 0 if value is None else value


def retire_keys(keys):
    """Retire the cached pages under the surrogate `keys`, in every process."""
    if keys:
        stamp = time.time_ns()
        set_retired({key_generation_key(own): stamp for own in keys})


def is_current(entry, found):
    return (
        entry is not None
        and found["freshness"] is not None
        and entry[0] == found["freshness"]["generation"]
        and entry[2] == found["key_generation"]
        and entry[2] is not None
    )


def look_up(request):
    """{stamp, freshness, key generation, page} as cached for `request`.

    The page is this process's copy if the retired stamp has not moved since
    it was checked (`freshness` is then None: nothing else was read).
    Otherwise the page comes from this process's memory or else the shared
    cache, with what it is checked against (the content generation and next
    publication, its key's generation) in one read, and the copy here is
    stamped again if it is current.
    """
    if settings.NEWSROOM_PAGE_CACHE_SECONDS < 1:  # the page cache is off
        return {"freshness": cache.get(FRESHNESS_KEY), "page": None}
    key = page_key(request)
    here = caches["pages"]
    copy = here.get(key)  # (stamp, next publication, page)
    stamp = current_stamp()
    if is_trusted(copy, stamp):
        return {"stamp": stamp, "freshness": None, "at": copy[1], "page": copy[2]}
    page = copy[2] if copy is not None else cache.get(key)
    if page is None:
        return {"stamp": stamp, "freshness": cache.get(FRESHNESS_KEY), "page": None}
    found = check(page, stamp)
    if copy is not None and not is_current(page, found):
        shared = cache.get(key)  # rendered again by another process?
        if shared is not None and shared[1] == page[1]:
            found = check(shared, stamp)
    if (
        is_current(found["page"], found)
        and current(found["freshness"]) is found["freshness"]
    ):
        found["at"] = found["freshness"]["at"]
        limit = seconds_left(settings.NEWSROOM_PAGE_CACHE_SECONDS, found["at"])
        here.set(key, (stamp, found["at"], found["page"]), limit)
    return found


def current_stamp():
    """What copies are stamped with now: this process's, while it hears of
    retirements, else the retired stamp read from the shared cache."""
    return listener.stamp() or retired_stamp()


def is_trusted(copy, stamp):
    """May this process's `copy` be served unchecked? Only under the current
    retired `stamp` (none while the shared cache is down: copies are checked,
    not trusted) and before the next publication."""
    return (
        copy is not None
        and stamp is not None
        and copy[0] == stamp
        and not is_due(copy[1])
    )


def check(page, stamp):
    """What `page` is checked against, read in one `get_many`."""
    own = key_generation_key(page[1])
    found = cache.get_many([FRESHNESS_KEY, own])
    return {
        "stamp": stamp,
        "freshness": found.get(FRESHNESS_KEY),
        "key_generation": found.get(own),
        "page": page,
    }


def is_due(at):
    """Has the next publication (a timestamp, or None) come?"""
    return at is not None and at <= time.time()


def cached_page(request, found):
    """The cached response for `request` from what `look_up` found, or None.

    Nothing else (no database query) unless the page is there.
    """
    if "at" not in found:
        return None  # not there, or not current
    etag, last_modified, headers, body = found["page"][3:]
    response = HttpResponse(body, headers=dict(headers))
    response["Content-Length"] = str(len(body))
    return finish(request, response, etag, last_modified, found["at"])


def store(request, response, rendered_at, stamp, at):
    """Keep `response` as plain values, under the generations read before it
    was rendered (`rendered_at`: generation, own key, key generation; the
    copy here under the retired `stamp` read before them too), until the next
    publication at the latest. True if it was kept."""
    timeout = seconds_left(settings.NEWSROOM_PAGE_CACHE_SECONDS, at)
    if timeout >= 1:
        entry = (
            *rendered_at,
            response["ETag"],
            parse_http_date_safe(response["Last-Modified"]),
            tuple(response.items()),
            response.content,
        )
        key = page_key(request)
        cache.set(key, entry, timeout)
        caches["pages"].set(key, (stamp, at, entry), timeout)
    return timeout >= 1


def offer(request, stamp, at):
    """Offer this answer to the front, under `stamp`, until the next
    publication (`at`) and no longer than its Cache-Control stands: `max-age`
    counts down in the last BROWSER_MAX_AGE seconds before that or the day's
    end (see finish)."""
    until = kept_until(at) - BROWSER_MAX_AGE
    if stamp is not None and until > time.time():
        request.META[OFFER] = {"stamp": stamp, "at": at, "until": until}


def withdraw(request):
    """The answer has a header that changes sooner: do not offer it."""
    request.META.pop(OFFER, None)


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
    back. Middleware above it apply to hits too (SecurityMiddleware: the
    HTTPS redirect and HSTS depend on the request); the headers that depend
    only on the page (Content-Security-Policy, X-Frame-Options) are added
    below it, so they are stored with the page and a hit skips that work.
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
            if response.status_code == 200:
                offer(request, found["stamp"], found["at"])
            return response
        # Read before rendering: see store(). (Nothing is stored when off.)
        rendered_at = None
        generation = generation_of(found["freshness"])
        if settings.NEWSROOM_PAGE_CACHE_SECONDS >= 1:
            own = own_key(request)
            rendered_at = (generation, own, key_generation(own))
        # What the page keeps its parts under (freshness.generation_for): the
        # generation read here, not read again.
        request.content_generation = generation
        response = self.get_response(request)
        if not is_public_page(response):
            return response
        del response["Cache-Control"]  # the mark; the policy is set below
        if not is_cacheable(response):
            return response
        at = current(found["freshness"] or cache.get(FRESHNESS_KEY))["at"]
        set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        if store(request, response, rendered_at, found.get("stamp"), at):
            offer(request, found.get("stamp"), at)
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
