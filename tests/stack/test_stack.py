"""The scale-out stack, for real: readers go through Varnish (deploy/varnish/
newsroom.vcl) to two gunicorn app servers; an RQ worker and the scheduler do
the purges; Redis is private to the test, the database a scratch site's.

Every wait is on a condition (the purge's record gone, a page answering),
never on the clock.
"""

import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from deploy.stack import Stack, varnishd
from tests.delivery.purge_server import PurgeServer
from tests.faults.scratch import ROOT, ScratchSite
from tests.faults.test_serving_faults import free_port
from tests.tasks.services import RedisServer, wait_until

pytestmark = [
    pytest.mark.skipif(
        varnishd() is None,
        reason="varnishd is not installed (apt-get install varnish varnish-modules)",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="redis-server is not installed (apt-get install redis-server)",
    ),
    pytest.mark.skipif(sys.platform != "linux", reason="Linux process tools"),
]

LISTINGS = [
    "/",
    "/section/coast/",
    "/tag/harbour/",
    "/author/ann-writer/",
    "/feed/",
    "/section/coast/feed/",
    "/tag/harbour/feed/atom/",
    "/author/ann-writer/feed/",
]


def start_stack(folder, **options):
    site = ScratchSite(folder)
    redis = RedisServer(folder).start()
    stack = Stack(
        folder / "stack",
        site.env,
        redis_url=(f"{redis.url[:-2]}/0", f"{redis.url[:-2]}/1"),
        web_ports=(free_port(), free_port()),
        varnish_port=free_port(),
        gunicorn_workers=1,
        **options,
    )
    # Written before any cache runs: nothing to purge.
    world = desk(stack, "setup", env={"NEWSROOM_VARNISH_PURGE_URLS": ""})
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    return site, redis, stack, world


def stop_stack(site, redis, stack):
    stack.stop()
    redis.stop()
    site.drop()


def desk(stack, action, env=None, **arguments):
    done = subprocess.run(
        [sys.executable, "-m", "tests.stack.desk", action, json.dumps(arguments)],
        cwd=ROOT,
        env={**stack.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1].removeprefix("RESULT "))


class Page:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def from_cache(self):
        # Varnish names the request and, on a hit, the request that stored it.
        return len(self.headers.get("X-Varnish", "").split()) == 2


def get(stack, path, cookie=None):
    request = urllib.request.Request(stack.url + path)
    if cookie:
        request.add_header("Cookie", cookie)

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=30) as response:
            return Page(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Page(error.code, dict(error.headers), error.read())


def shows(stack, path, text):
    return text.encode() in get(stack, path).body


def purges_left(site):
    return site.rows("SELECT COUNT(*) FROM articles_pendingwork WHERE kind = 'purge'")[
        0
    ][0]


def purged(site):
    wait_until(lambda: purges_left(site) == 0, "the purge task")


def warm(stack, paths):
    """Each page cached in Varnish (a second request is a hit)."""
    for path in paths:
        get(stack, path)
        assert get(stack, path).from_cache, path


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    site, redis, stack, world = start_stack(folder, scheduler_args=["--interval", "1"])
    yield site, stack, world
    stop_stack(site, redis, stack)


def test_publish_update_and_withdraw_reach_readers_through_varnish(running):
    site, stack, world = running
    warm(stack, LISTINGS)
    story = desk(
        stack, "publish", headline="Storm floods the harbour",
        section=world["section"], author=world["author"],
    )  # fmt: skip
    purged(site)
    assert get(stack, story["url"]).status == 200
    for path in LISTINGS:
        assert shows(stack, path, "Storm floods the harbour"), path
    assert shows(stack, "/news-sitemap.xml", story["url"])

    warm(stack, [story["url"], *LISTINGS])
    desk(stack, "update", article=story["article"], headline="Harbour floods again")
    purged(site)
    for path in [story["url"], *LISTINGS]:
        page = get(stack, path)
        assert b"Harbour floods again" in page.body, path
        assert b"Storm floods the harbour" not in page.body, path

    warm(stack, [story["url"], *LISTINGS])
    desk(stack, "withdraw", article=story["article"])
    purged(site)
    assert get(stack, story["url"]).status == 410
    for path in LISTINGS:
        assert not shows(stack, path, "Harbour floods again"), path


def test_a_scheduled_story_is_live_through_varnish_once_its_go_live_ran(running):
    site, stack, world = running
    warm(stack, LISTINGS)
    story = desk(
        stack, "publish", headline="Ferry timetable changes",
        section=world["section"], author=world["author"], in_seconds=8,
    )  # fmt: skip
    before = get(stack, story["url"])
    assert before.status == 404
    assert not get(stack, story["url"]).from_cache  # a 404 is never kept
    assert not shows(stack, "/", "Ferry timetable changes")
    assert purges_left(site) == 1  # due at its time

    purged(site)  # the scheduler handed it over at its time; the worker ran it
    assert get(stack, story["url"]).status == 200
    for path in LISTINGS:
        assert shows(stack, path, "Ferry timetable changes"), path


def test_nothing_unpublished_is_served_from_the_cache(running):
    site, stack, world = running
    draft = desk(
        stack, "publish", headline="Draft about tides", status="draft",
        section=world["section"], author=world["author"],
    )  # fmt: skip
    for _ in range(2):
        page = get(stack, draft["url"])
        assert page.status == 404 and not page.from_cache

    cookie = f"sessionid={desk(stack, 'session')['sessionid']}"
    preview = f"/preview/{draft['article']}/"
    for _ in range(2):
        page = get(stack, preview, cookie=cookie)
        assert page.status == 200 and b"Draft about tides" in page.body
        assert not page.from_cache
    anonymous = get(stack, preview)
    assert anonymous.status == 302 and b"Draft about tides" not in anonymous.body
    for _ in range(2):
        admin = get(stack, "/admin/", cookie=cookie)
        assert admin.status == 200 and not admin.from_cache
    # An editor's view of a public page is private and not kept for readers.
    editors = get(stack, "/section/coast/", cookie=cookie)
    assert editors.status == 200 and not editors.from_cache
    assert "private" in editors.headers["Cache-Control"]


def test_killing_an_app_server_mid_load_shows_readers_no_error(tmp_path):
    site, redis, stack, world = start_stack(tmp_path)
    try:
        statuses = []
        stop = threading.Event()

        def reader(n):
            i = 0
            while not stop.is_set():
                i += 1
                # Distinct addresses: each one a fetch from an app server.
                try:
                    statuses.append(get(stack, f"/?reader={n}&i={i}").status)
                except Exception as error:  # a page cut off, a reset: counted
                    statuses.append(repr(error))

        readers = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
        for thread in readers:
            thread.start()
        wait_until(lambda: len(statuses) >= 40, "readers under way")
        stack.kill("web1")
        killed_at = len(statuses)
        wait_until(lambda: len(statuses) >= killed_at + 200, "reading on")
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
        assert set(statuses) == {200}, sorted(map(str, set(statuses)))
    finally:
        stop_stack(site, redis, stack)


def test_a_purge_whose_worker_is_killed_is_done_again(tmp_path):
    with PurgeServer() as second_cache:
        second_cache.release.clear()  # the second cache hangs: mid-purge
        site, redis, stack, world = start_stack(
            tmp_path,
            purge_urls=[second_cache.url],
            scheduler_args=["--interval", "1", "--stale-after", "2"],
        )
        try:
            warm(stack, LISTINGS)
            asked = len(second_cache.requests)
            desk(
                stack, "publish", headline="Lighthouse relit",
                section=world["section"], author=world["author"],
            )  # fmt: skip
            wait_until(second_cache.arrived.is_set, "the purge under way")
            stack.kill("worker")
            assert purges_left(site) >= 1  # the one under way still on record
            second_cache.release.set()
            stack.start_worker("worker2")
            purged(site)  # the sweeper handed it over again; done
            assert len(second_cache.requests) > asked + 1
            for path in LISTINGS:
                assert shows(stack, path, "Lighthouse relit"), path
        finally:
            stop_stack(site, redis, stack)


def log_in(stack, source, password, forged=None):
    """One admin login through Varnish from the loopback address `source`
    (with a forged X-Forwarded-For, if given): the response's status."""
    import http.client
    import re as regex

    port = int(stack.url.rsplit(":", 1)[1])

    def request(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=(source, 0)
        )
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()

    form, page = request("GET", "/admin/login/")
    cookie = form.getheader("Set-Cookie").split(";")[0]
    token = regex.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    if forged:
        headers["X-Forwarded-For"] = forged
    body = (
        f"csrfmiddlewaretoken={token.decode()}&username=editor&password={password}"
        "&next=/admin/"
    )
    response, _ = request("POST", "/admin/login/", body, headers)
    return response.status


def test_the_login_throttle_counts_the_reader_varnish_saw(running):
    _, stack, _ = running
    for n in range(4):
        assert log_in(stack, "127.0.0.2", "wrong", forged=f"10.0.0.{n}") == 200
    # The fifth failure (NEWSROOM_LOGIN_FAILURE_LIMIT): forged addresses did
    # not escape the count...
    assert log_in(stack, "127.0.0.2", "wrong", forged="10.0.0.4") == 429
    assert log_in(stack, "127.0.0.2", "a+long+password+123", forged="10.9.9.9") == 429
    # ...and another reader behind the same Varnish is not locked out.
    assert log_in(stack, "127.0.0.3", "a+long+password+123") == 302
