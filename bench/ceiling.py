"""The ceiling: a bare WSGI app that returns a fixed page, read at start-up.

Served by the same gunicorn settings as the site, it measures what the server
stack itself can do on this machine; the benchmark reports every page's
throughput as a share of it. `BENCH_CEILING_HTML` names the file to serve (a
real article page captured from the site in the same run).
"""

import os

with open(os.environ["BENCH_CEILING_HTML"], "rb") as f:
    BODY = f.read()

HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
