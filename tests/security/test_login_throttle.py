"""Admin login throttle: one client cannot lock anyone else out, behind proxies too.

The site runs behind one trusted reverse proxy here (NEWSROOM_TRUSTED_PROXIES=1):
every request reaches Django from the proxy's address, and the proxy appends the
address it saw to X-Forwarded-For.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"
LOGIN = "/admin/login/?next=/admin/"


def client_address(number):
    return f"81.2.{number // 250}.{number % 250 + 1}"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "e@example.com", "right")


def login(client, address, username="editor", password="wrong", forwarded=None):
    """A login POST as the proxy passes it on: the client's address appended."""
    chain = f"{forwarded}, {address}" if forwarded else address
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


def assert_locked(response, settings):
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.NEWSROOM_LOGIN_LOCKOUT_SECONDS
    assert "Too many failed logins" in response.text
    assert "please wait 15 minutes" in response.text


def test_many_clients_failing_do_not_lock_out_another_client(client, editor, settings):
    for number in range(25):
        for _ in range(settings.NEWSROOM_LOGIN_FAILURE_LIMIT):
            login(client, client_address(number))
    response = login(client, client_address(25), password="right")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_random_usernames_from_many_clients_lock_nobody_out(client, editor):
    for number in range(40):
        login(client, client_address(number), username=f"nobody-{number}")
    assert login(client, client_address(99), password="right").status_code == 302


def test_one_client_hammering_one_account_is_locked(client, editor, settings):
    for _ in range(settings.NEWSROOM_LOGIN_FAILURE_LIMIT - 1):
        assert login(client, client_address(1)).status_code == 200
    # The failure that reaches the limit already answers with the pause.
    assert_locked(login(client, client_address(1)), settings)
    assert_locked(login(client, client_address(1), password="right"), settings)
    assert "_auth_user_id" not in client.session
    # The account itself is not locked for anybody else.
    assert login(client, client_address(2), password="right").status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, editor, settings):
    for number in range(settings.NEWSROOM_LOGIN_FAILURE_LIMIT):
        login(client, client_address(1), forwarded=client_address(100 + number))
    response = login(
        client, client_address(1), password="right", forwarded=client_address(200)
    )
    assert_locked(response, settings)


def test_one_client_trying_many_usernames_is_throttled(client, editor, settings):
    tries = (
        settings.NEWSROOM_LOGIN_FAILURE_LIMIT * settings.NEWSROOM_LOGIN_CLIENT_FACTOR
    )
    for number in range(tries - 1):
        response = login(client, client_address(1), username=f"guess-{number}")
        assert response.status_code == 200
    assert_locked(login(client, client_address(1), username="guess-last"), settings)
    assert_locked(login(client, client_address(1), password="right"), settings)
    assert login(client, client_address(2), password="right").status_code == 302


def test_a_successful_login_clears_the_count(client, editor, settings):
    for _ in range(settings.NEWSROOM_LOGIN_FAILURE_LIMIT - 1):
        login(client, client_address(1))
    assert login(client, client_address(1), password="right").status_code == 302
    client.logout()
    for _ in range(settings.NEWSROOM_LOGIN_FAILURE_LIMIT - 1):
        login(client, client_address(1))
    assert login(client, client_address(1), password="right").status_code == 302


def test_without_trusted_proxies_the_forwarded_header_is_ignored(
    client, editor, settings
):
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    for number in range(settings.NEWSROOM_LOGIN_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR=client_address(1),
            HTTP_X_FORWARDED_FOR=client_address(100 + number),
        )
    response = client.post(
        LOGIN,
        {"username": "editor", "password": "right"},
        REMOTE_ADDR=client_address(1),
        HTTP_X_FORWARDED_FOR=client_address(300),
    )
    assert_locked(response, settings)


@pytest.mark.parametrize(
    ("proxies", "chain", "remote", "client"),
    [
        # No proxy configured: the header is the client's own words.
        ("0", "81.2.0.9", "81.2.0.1", "81.2.0.1"),
        # nginx in front: it appended the address it saw.
        ("1", "81.2.0.9, 81.2.0.1", "10.0.0.2", "81.2.0.1"),
        # An edge cache, then nginx: the edge appended the client, nginx the edge.
        ("2", "81.2.0.9, 81.2.0.1, 81.2.0.200", "10.0.0.2", "81.2.0.1"),
    ],
)
def test_the_client_is_counted_through_the_configured_proxies(
    proxies, chain, remote, client
):
    """The environment variable alone configures which address is the client."""
    code = (
        "from django.test import RequestFactory; "
        "from axes.helpers import get_client_ip_address; "
        f"request = RequestFactory().post('/admin/login/', REMOTE_ADDR={remote!r}, "
        f"HTTP_X_FORWARDED_FOR={chain!r}); "
        "print(get_client_ip_address(request))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, "NEWSROOM_TRUSTED_PROXIES": proxies},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == client, result.stderr
