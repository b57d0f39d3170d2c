"""The request id, and one JSON log line per request with LOG_FORMAT=json."""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_new_request_id():
    first = Client().get("/robots.txt")["X-Request-ID"]
    second = Client().get("/robots.txt")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_sane_incoming_request_id_is_kept():
    response = Client().get("/robots.txt", HTTP_X_REQUEST_ID="edge-7f3a.b2:9")
    assert response["X-Request-ID"] == "edge-7f3a.b2:9"


@pytest.mark.parametrize(
    "incoming", ["<script>alert(1)</script>", "a b", "x" * 200, "-leading-dash", ""]
)
def test_an_incoming_request_id_that_is_not_a_sane_token_is_replaced(incoming):
    response = Client().get("/robots.txt", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_json_logs_have_one_line_per_request_with_its_id(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.test import Client\n"
        "site = Client(HTTP_HOST='localhost')\n"
        "site.get('/robots.txt?preview=t0k3n', HTTP_X_REQUEST_ID='req-42')\n"
        "site.get('/no-such-page/')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "TASKS_BACKEND": "immediate",
        "LOG_FORMAT": "json",
    }
    for name in ("CACHE_URL", "REDIS_URL", "DJANGO_LOG_LEVEL"):
        env.pop(name, None)
    done = subprocess.run(
        # WhiteNoise warns (in text) that `collectstatic` has not run.
        [sys.executable, "-W", "ignore::UserWarning", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    requests = [line for line in lines if line["name"] == "newsroom.requests"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/robots.txt", 200),
        ("GET", "/no-such-page/", 404),
    ]
    assert requests[0]["request_id"] == "req-42"
    assert len(requests[1]["request_id"]) == 32
    assert all(r["levelname"] == "INFO" and "timestamp" in r for r in requests)
    assert "t0k3n" not in done.stderr
    # Other records written during a request carry its id too (Django's 404).
    not_found = [line for line in lines if line["name"] == "django.request"]
    assert [line["request_id"] for line in not_found] == [requests[1]["request_id"]]
