"""One log line per request, with a request id.

Each request gets an id: the `X-Request-ID` a proxy in front sent, if it is a
sane token, else a new one. It is returned in the response's `X-Request-ID`,
added to every log record written while the request is handled (so an error's
traceback can be found from a reader's report), and to the line
`RequestLogMiddleware` writes when the response leaves: method, path (without
the query string, which can carry preview tokens), status and duration. With
`LOG_FORMAT=json` every record is one JSON object per line (settings.LOGGING).
Answers the WSGI front gives (newsroom/front.py) get their id and line too.
"""

import contextvars
import logging
import os
import re
import time

from django.core.signals import request_finished

log = logging.getLogger("newsroom.requests")

HEADER = "X-Request-ID"
# Letters, digits and a few separators, as proxies and tracers make them: an
# id is echoed into headers and logs, so nothing else is taken from outside.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

current_id = contextvars.ContextVar("request_id", default="")


def request_id(environ):
    """The id of the request with this WSGI `environ` (request.META)."""
    incoming = environ.get("HTTP_X_REQUEST_ID")
    if incoming and SANE_ID.fullmatch(incoming):
        return incoming
    return os.urandom(16).hex()  # as random as a uuid4, at less cost


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request)."""

    def filter(self, record):
        record.request_id = current_id.get()
        return True


def forget_request_id(**kwargs):
    current_id.set("")


# Kept until the response is closed, not only while the middleware runs:
# Django logs a 4xx or 5xx response after the whole middleware stack returned.
request_finished.connect(forget_request_id)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.id = request_id(request.META)
        current_id.set(request.id)
        response = self.get_response(request)
        response[HEADER] = request.id
        if logs_requests():
            log_request(request.method, request.path, response.status_code, started)
        return response


def logs_requests():
    """Is a line written per request? (The default, LOG_FORMAT=text: no.)"""
    return log.isEnabledFor(logging.INFO)


def log_request(method, path, status, started):
    """The request's line; `started` is its time.perf_counter() when it came."""
    log.info(
        "%s %s %s",
        method,
        path,
        status,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
