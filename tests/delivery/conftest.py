"""The edge caches the delivery tests purge: loopback HTTP servers that record
what they are sent (purge_server.py), one for each kind of edge."""

import pytest

from tests.delivery.purge_server import PurgeServer


@pytest.fixture
def servers():
    with PurgeServer() as varnish, PurgeServer() as fastly, PurgeServer() as cf:
        yield {"varnish": varnish, "fastly": fastly, "cloudflare": cf}


@pytest.fixture
def edge(settings, servers):
    settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["xkey", "Surrogate-Key", "Cache-Tag"]
    settings.NEWSROOM_EDGE_PURGE = [
        {"KIND": "varnish", "URLS": [servers["varnish"].url]},
        {
            "KIND": "fastly",
            "SERVICE_ID": "svc1",
            "API_TOKEN": "fastly-token",
            "API_URL": servers["fastly"].url,
        },
        {
            "KIND": "cloudflare",
            "ZONE_ID": "zone1",
            "API_TOKEN": "cf-token",
            "API_URL": servers["cloudflare"].url,
        },
    ]
    return servers
