"""The WSGI front: a cached page given again without Django's request handling.

Most of a page-cache hit is not the page cache's work: it is Django's request
handling around it (the request and response objects, the request signals
that look after database and cache connections, the middleware chain). The
page cache (articles/delivery/page_cache.py) offers each answer it gives from
the cache, or stores, to this front: the whole answer as it left the
middleware stack, with the retired stamp it was checked under, the next
publication and how long its Cache-Control stands. The front keeps it in
this process's memory of pages (the `pages` cache) under everything of the
request that the stack read to answer it (scheme, host and the proxy's
headers, the address), and gives the same answer to the same request while
the page cache would: under the same stamp (so a write in any process ends
it, as it ends the page cache's own copies), before the next publication and
while its headers would be the same. Each answer gets its own request id and
log line (newsroom/request_log.py).

Everything else goes to Django as before: other methods than GET (HEAD's
answer has no body), conditional requests (Django answers 304 or 412),
editors (a session cookie), and the first request for a page in each process
after every retirement. The front is a WSGI wrapper: it only ever gives an
answer Django gave, byte for byte, under the same conditions.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import get_path_info, get_script_name

from articles.delivery.page_cache import (
    OFFER,
    VALIDATOR_HEADERS,
    current_stamp,
    is_trusted,
)

from .request_log import HEADER, current_id, log_request, logs_requests, request_id

KEY = "answer:"
OK = "200 OK"  # the only answers kept
# What of a request the middleware stack reads to answer it with a cached
# page: the host (ALLOWED_HOSTS, the HTTPS redirect), the scheme (the redirect,
# HSTS) and the address. The id (X-Request-ID) is given anew.
SHAPE = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)


def answer_key(environ):
    """Where an answer to this request is kept, or None if it is Django's to
    answer whatever is kept."""
    if (
        environ["REQUEST_METHOD"] != "GET"
        or not VALIDATOR_HEADERS.isdisjoint(environ)
        or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")
    ):
        return None
    proxy = settings.SECURE_PROXY_SSL_HEADER
    shape = [environ.get(name, "") for name in SHAPE]
    if proxy and proxy[0] != "HTTP_X_FORWARDED_PROTO":
        shape.append(environ.get(proxy[0], ""))
    return KEY + "\n".join(shape)


class PageCacheFront:
    """Wraps Django's WSGI application (newsroom/wsgi.py)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key = answer_key(environ)
        if key is None:
            return self.application(environ, start_response)
        # (stamp, next publication, headers, body) of a 200, kept no longer
        # than its headers stand.
        answer = caches["pages"].get(key)
        if answer is not None and is_trusted(answer, current_stamp()):
            return self.give(answer, environ, start_response)
        return self.keep(key, environ, start_response)

    def give(self, answer, environ, start_response):
        started = time.perf_counter()
        headers, body = answer[2:]
        given = request_id(environ)
        start_response(OK, [*headers, (HEADER, given)])
        if logs_requests():
            token = current_id.set(given)
            path = get_script_name(environ) + get_path_info(environ)
            log_request("GET", path, 200, started)
            current_id.reset(token)
        return [body]

    def keep(self, key, environ, start_response):
        """Let Django answer, and keep the answer if the page cache offered it."""
        sent = []

        def starting(status, headers, *exc_info):
            sent[:] = [status, headers]
            return start_response(status, headers, *exc_info)

        response = self.application(environ, starting)
        offer = environ.get(OFFER)
        if offer is None or not sent or sent[0] != OK:
            return response
        headers = [(name, value) for name, value in sent[1] if name != HEADER]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return response
        answer = (offer["stamp"], offer["at"], headers, response.content)
        caches["pages"].set(key, answer, int(offer["until"] - time.time()))
        return response
