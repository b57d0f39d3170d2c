"""POSTing a delivery: signed, with a time limit, only to public addresses.

The host is resolved once and the connection made to the address that was
checked (so a name that resolves to a public address for the check and a
private one for the connection gets nowhere), at every hop: a redirect is
followed only on the same host, and checked again. Private, loopback and
link-local addresses are refused unless the operator allows them
(`NEWSROOM_WEBHOOKS_ALLOW_PRIVATE`).
"""

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

TIMEOUT = 10  # seconds
MAX_HOPS = 3
MAX_RESPONSE_BYTES = 64 * 1024


class Refused(Exception):
    """The delivery cannot go to this address (not retried as a network error)."""


def signature(secret, timestamp, body):
    """The `Newsroom-Signature` header value: t=<timestamp>,v1=<hex HMAC-SHA256
    of "<timestamp>." followed by the body>, as Stripe and GitHub sign."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def checked_address(host, port):
    """The address to connect to for `host`, or Refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"cannot resolve {host}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if not address.is_global or address.is_multicast:
                raise Refused(f"{host} is a private, loopback or link-local address")
    return str(addresses[0])


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host."""

    def __init__(self, address, host, port, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def connection(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"{url} is not an http or https address")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = checked_address(parts.hostname, port)
    if parts.scheme == "https":
        return PinnedHTTPSConnection(address, parts.hostname, port, timeout=TIMEOUT)
    conn = http.client.HTTPConnection(address, port, timeout=TIMEOUT)
    return conn


def post(url, body, headers):
    """POST `body` to `url`; returns the status code. Raises Refused, or OSError
    (and http.client's errors) when the network fails."""
    for _ in range(MAX_HOPS + 1):
        parts = urlsplit(url)
        conn = connection(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            conn.request(
                "POST", path, body=body, headers={**headers, "Host": parts.netloc}
            )
            response = conn.getresponse()
            response.read(MAX_RESPONSE_BYTES)
        finally:
            conn.close()
        if response.status not in (301, 302, 303, 307, 308):
            return response.status
        target = urljoin(url, response.getheader("Location", ""))
        if urlsplit(target).netloc != parts.netloc or (
            urlsplit(target).scheme != parts.scheme
        ):
            raise Refused(f"redirected to another host ({urlsplit(target).netloc})")
        url = target
    raise Refused("too many redirects")


def headers_for(delivery, body):
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": f"Newsroom webhooks ({settings.SITE_URL})",
        "Newsroom-Event": delivery.event,
        "Newsroom-Delivery": str(delivery.pk),
        "Newsroom-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }
