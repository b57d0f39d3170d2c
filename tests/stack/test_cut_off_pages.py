"""An app server that dies while sending a page: Varnish (deploy/varnish/
newsroom.vcl) gives the reader the whole page from the other one, never a
page cut off after its headers.

Two small HTTP servers stand in for the app servers, so the failure happens
on every request rather than in a rare race: one answers health probes and
then sends each page's headers and the start of its body, and closes.
"""

import http.client
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy.stack import Stack, varnishd
from tests.faults.test_serving_faults import free_port

pytestmark = pytest.mark.skipif(
    varnishd() is None,
    reason="varnishd is not installed (apt-get install varnish varnish-modules)",
)

PAGE = b"<!doctype html><title>Harbour</title>" + b"<p>The tide.</p>" * 2_000


class AppServer(BaseHTTPRequestHandler):
    cut_off = False

    def do_GET(self):
        body = b"ok" if self.path == "/healthz" else PAGE
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if body is PAGE:
            self.send_header("xkey", "page")  # a public page: Varnish keeps it
        self.end_headers()
        if self.cut_off and body is PAGE:
            self.wfile.write(body[:1_000])
            self.wfile.flush()
            self.close_connection = True  # the process died mid-body
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class CutOff(AppServer):
    cut_off = True


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def read(url, path):
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_page_cut_off_by_a_dying_app_server_reaches_readers_whole(tmp_path):
    servers = [serve(CutOff), serve(AppServer)]
    stack = Stack(
        tmp_path,
        dict(os.environ),
        redis_url=("", ""),
        web_ports=[server.server_address[1] for server in servers],
        varnish_port=free_port(),
    )
    try:
        stack.start_varnish()
        # Distinct addresses, so each is a fetch; the round robin sends every
        # other one to the server that cuts pages off first.
        for n in range(8):
            status, body = read(stack.url, f"/story-{n}/")
            assert (status, len(body)) == (200, len(PAGE)), n
            assert body == PAGE
    finally:
        stack.stop()
        for server in servers:
            server.shutdown()
            server.server_close()
