"""Purging surrogate keys from edge caches: Varnish, Fastly, Cloudflare.

Each backend has one method, `purge(keys, *, soft)`, and sends as few
requests as each service allows. NEWSROOM_EDGE_PURGE lists the backends (a
dict each, docs/deploy.md); `configured()` builds them. A refused or failed
request raises: the purge task then fails, its work stays on record and is
done again (articles/tasks.py), so a purge is never lost.

- Varnish: a `PURGE` request to each cache, with the keys in an
  `xkey-purge` (hard) or `xkey-softpurge` header, which deploy/varnish/
  newsroom.vcl hands to the xkey vmod. Headers are kept under 4 KB
  (Varnish's default request header limit is 8 KB).
- Fastly: the purge-by-surrogate-keys API, 256 keys a call; a soft purge
  sets `Fastly-Soft-Purge: 1`.
- Cloudflare: purge by cache tags, 30 tags a call; Cloudflare has no soft
  purge.
"""

import json
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TIMEOUT = 10  # seconds for one purge request


def batches(keys, *, count=None, length=None, separator=" "):
    """`keys` in lists of at most `count` keys, or `length` characters joined."""
    batch, size = [], 0
    for k in keys:
        grown = size + len(k) + (len(separator) if batch else 0)
        if batch and ((count and len(batch) == count) or (length and grown > length)):
            yield batch
            batch, grown = [], len(k)
        batch.append(k)
        size = grown
    if batch:
        yield batch


def send(url, *, method="POST", headers=None, payload=None):
    """One request; the response's body. HTTP errors raise (urllib's HTTPError)."""
    data = None if payload is None else json.dumps(payload).encode()
    headers = dict(headers or {})
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read()


class Varnish:
    HEADER_LENGTH = 4000

    def __init__(self, *, urls=()):
        if not urls:
            raise ImproperlyConfigured("A Varnish purge backend needs URLS.")
        self.urls = [url.rstrip("/") + "/" for url in urls]

    def purge(self, keys, *, soft):
        header = "xkey-softpurge" if soft else "xkey-purge"
        for batch in batches(keys, length=self.HEADER_LENGTH):
            for url in self.urls:
                send(url, method="PURGE", headers={header: " ".join(batch)})


class Fastly:
    API = "https://api.fastly.com"
    KEYS_PER_CALL = 256

    def __init__(self, *, service_id="", api_token="", api_url=API):
        if not (service_id and api_token):
            raise ImproperlyConfigured("Fastly purges need SERVICE_ID and API_TOKEN.")
        self.url = f"{api_url.rstrip('/')}/service/{service_id}/purge"
        self.token = api_token

    def purge(self, keys, *, soft):
        headers = {"Fastly-Key": self.token, "Accept": "application/json"}
        if soft:
            headers["Fastly-Soft-Purge"] = "1"
        for batch in batches(keys, count=self.KEYS_PER_CALL):
            send(self.url, headers=headers, payload={"surrogate_keys": batch})


class Cloudflare:
    API = "https://api.cloudflare.com/client/v4"
    TAGS_PER_CALL = 30

    def __init__(self, *, zone_id="", api_token="", api_url=API):
        if not (zone_id and api_token):
            raise ImproperlyConfigured("Cloudflare purges need ZONE_ID and API_TOKEN.")
        self.url = f"{api_url.rstrip('/')}/zones/{zone_id}/purge_cache"
        self.token = api_token

    def purge(self, keys, *, soft):
        headers = {"Authorization": f"Bearer {self.token}"}
        for batch in batches(keys, count=self.TAGS_PER_CALL):
            send(self.url, headers=headers, payload={"tags": batch})


KINDS = {"varnish": Varnish, "fastly": Fastly, "cloudflare": Cloudflare}


def configured():
    """The purge backends NEWSROOM_EDGE_PURGE lists."""
    backends = []
    for entry in settings.NEWSROOM_EDGE_PURGE:
        options = {k.lower(): v for k, v in entry.items() if k != "KIND"}
        if entry.get("KIND") not in KINDS:
            raise ImproperlyConfigured(
                f"NEWSROOM_EDGE_PURGE: KIND {entry.get('KIND')!r} is not one of "
                f"{', '.join(KINDS)}."
            )
        try:
            backends.append(KINDS[entry["KIND"]](**options))
        except TypeError as exc:
            raise ImproperlyConfigured(
                f"NEWSROOM_EDGE_PURGE: {entry['KIND']}: {exc}."
            ) from None
    return backends


def check_configuration(**kwargs):
    """A system check: the purge backends can be built (`manage.py check`, and
    every command and server start)."""
    from django.core.checks import Error

    try:
        configured()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="delivery.E001")]
    return []
