"""What an edge cache in front of the site (Varnish, Fastly, Cloudflare) is told.

Two small middleware, on either side of the page cache, and both left out of
the stack (MiddlewareNotUsed, at start-up) unless NEWSROOM_SURROGATE_KEY_HEADERS
names at least one header:

- `SurrogateKeyMiddleware`, below the page cache, tags each public page with
  its surrogate keys (surrogate_keys.py) before the page cache stores it, so
  cached hits carry them too.
- `EdgeCacheControlMiddleware`, above it, lets shared caches keep public
  pages for a long time (`s-maxage`, NEWSROOM_EDGE_MAX_AGE: they are purged on
  every change, tasks.py) and serve them stale while the site is failing
  (`stale-if-error`), if a purge backend is configured (NEWSROOM_EDGE_PURGE).
  Browsers keep the page cache's short `max-age`. `s-maxage` counts down
  to the end of the day, so such an answer is not offered to the WSGI front
  to be given again as it is (page_cache.offer).
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.utils.cache import patch_cache_control

from .page_cache import is_cacheable, is_public_page, seconds_left, withdraw
from .surrogate_keys import header_values, keys_for


class SurrogateKeyMiddleware:
    def __init__(self, get_response):
        if not settings.NEWSROOM_SURROGATE_KEY_HEADERS:
            raise MiddlewareNotUsed  # no edge cache reads the keys
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            # Editors' pages are private (the page cache marks them so).
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and is_public_page(response)
            and is_cacheable(response)
        ):
            for header, value in header_values(keys_for(request, response)).items():
                response[header] = value
        return response


def edge_max_age(request):
    """A live story's endpoint is kept briefly (page cache hits are answered
    before URL routing, so it is told by its address); no page past the end
    of the day (nothing purges the masthead's date)."""
    if request.path.endswith("/live.json"):
        return min(settings.NEWSROOM_EDGE_LIVE_MAX_AGE, settings.NEWSROOM_EDGE_MAX_AGE)
    return seconds_left(settings.NEWSROOM_EDGE_MAX_AGE, None)


class EdgeCacheControlMiddleware:
    def __init__(self, get_response):
        if not (
            settings.NEWSROOM_SURROGATE_KEY_HEADERS and settings.NEWSROOM_EDGE_PURGE
        ):
            raise MiddlewareNotUsed  # an edge nobody purges keeps the browsers' max-age
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        headers = settings.NEWSROOM_SURROGATE_KEY_HEADERS
        tagged = response.has_header(headers[0]) or response.status_code == 304
        control = response.get("Cache-Control", "")
        if tagged and control.startswith("public"):
            patch_cache_control(
                response,
                s_maxage=edge_max_age(request),
                stale_if_error=settings.NEWSROOM_EDGE_STALE_IF_ERROR,
            )
            withdraw(request)
        return response
