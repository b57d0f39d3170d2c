"""The WSGI front (newsroom/front.py): cached pages given again without
Django's request handling, and only ever as Django would give them.

Requests go through the project's WSGI application, as gunicorn calls it
(made anew for each test, as each process makes it: middleware read their
settings when the application is made); whether Django handled a request is
told by its request_started signal.
"""

import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.test import RequestFactory
from django.utils import timezone

from articles import publishing
from newsroom.front import PageCacheFront
from newsroom.request_log import HEADER, RequestIdFilter
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


class Answer:
    def __init__(self, status, headers, body, by_django):
        self.status_code = int(status[:3])
        self.headers = dict(headers)
        self.body = body
        self.by_django = by_django

    def __getitem__(self, name):
        return self.headers[name]


@pytest.fixture
def get():
    """GET (or another method) through the WSGI application."""
    handled = []

    def count(**kwargs):
        handled.append(1)

    request_started.connect(count)
    made = []

    def get(path, method="GET", **headers):
        if not made:
            # (What newsroom/wsgi.py makes, without setting Django up again.)
            made.append(PageCacheFront(WSGIHandler()))
        before = len(handled)
        environ = RequestFactory().generic(method, path, headers=headers).environ
        started = []
        result = made[0](environ, lambda *args: started.append(args))
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return Answer(*started[-1][:2], body, by_django=len(handled) > before)

    yield get
    request_started.disconnect(count)


def given_by_the_front(get, path, **headers):
    """Ask until the front answers (the page is stored, then offered)."""
    for _ in range(3):
        answer = get(path, **headers)
        if not answer.by_django:
            return answer
    raise AssertionError(f"the front never answered {path}")


def test_the_projects_application_is_djangos_behind_the_front():
    # In a process of its own: importing it sets Django up (and its logging).
    script = (
        "from newsroom.wsgi import application as app\n"
        "print(type(app).__name__, type(app.application).__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["PageCacheFront", "WSGIHandler"]


@pytest.mark.parametrize("which", ["article", "/", "/tag/harbour/", "/feed/"])
def test_a_page_is_given_again_as_django_gave_it(get, story, which):
    path = story.get_absolute_url() if which == "article" else which
    first = get(path)
    assert first.by_django and first.status_code == 200
    given = [given_by_the_front(get, path), *(get(path) for _ in range(5))]
    for answer in given:
        assert not answer.by_django
        assert answer.body == first.body
        assert {**answer.headers, HEADER: ""} == {**first.headers, HEADER: ""}
    ids = {answer[HEADER] for answer in [first, *given]}
    assert len(ids) == len(given) + 1  # each answer its own id


def test_an_editors_change_is_shown_at_once(get, story):
    path = story.get_absolute_url()
    given_by_the_front(get, path)
    story.headline = "Corrected headline"
    publishing.update(story, by=None)
    answer = get(path)
    assert answer.by_django
    assert b"Corrected headline" in answer.body
    assert b"Corrected headline" in given_by_the_front(get, path).body
    publishing.unpublish(story, by=None)
    assert get(path).status_code == 404
    assert get(path).status_code == 404


def test_what_only_django_answers(get, settings, story):
    path = story.get_absolute_url()
    page = given_by_the_front(get, path)
    # An editor (a session cookie): never from a cache.
    editor = get(path, Cookie=f"{settings.SESSION_COOKIE_NAME}=not-a-real-session")
    assert editor.by_django and "private" in editor["Cache-Control"]
    # Conditional requests: 304 or 412.
    not_modified = get(path, If_None_Match=page["ETag"])
    assert not_modified.by_django and not_modified.status_code == 304
    assert not_modified.body == b""
    assert get(path, If_Match='"something-else"').status_code == 412
    # HEAD (the server leaves its body out); writes are refused.
    head = get(path, method="HEAD")
    assert head.by_django and head.status_code == 200
    post = get(path, method="POST")
    assert post.by_django and post.status_code == 403  # no CSRF token
    # A host the site does not serve, or asked another way, is Django's to judge.
    for host in ("elsewhere.example", "testserver:8000"):
        answer = get(path, Host=host)
        assert answer.by_django, host
    assert get(path, Host="elsewhere.example").status_code == 400


def test_https_and_http_are_answered_apart(get, settings, story):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    path = story.get_absolute_url()
    secure = given_by_the_front(get, path, X_Forwarded_Proto="https")
    plain = given_by_the_front(get, path)
    assert secure["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in plain.headers


def test_with_the_https_redirect_plain_requests_are_redirected(get, settings, story):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    path = story.get_absolute_url()
    assert given_by_the_front(get, path, X_Forwarded_Proto="https").status_code == 200
    for _ in range(3):
        plain = get(path)
        assert plain.by_django and plain.status_code == 301


def test_no_answer_outlives_its_cache_control(get, clock, story):
    clock.set(timezone.now())
    make_article(
        headline="Embargoed story",
        section=story.section,
        published_at=timezone.now() + timedelta(seconds=90),
    )
    home = given_by_the_front(get, "/")
    assert home["Cache-Control"].startswith("public, max-age=60,")
    clock.advance(29)
    assert not get("/").by_django
    clock.advance(2)  # less than a minute to go: max-age counts down
    answer = get("/")
    assert answer.by_django
    assert answer["Cache-Control"].startswith("public, max-age=59,")
    assert get("/").by_django
    clock.advance(60)
    answer = get("/")
    assert answer.by_django and b"Embargoed story" in answer.body


def test_behind_an_edge_cache_every_answer_is_djangos(get, edge, story):
    path = story.get_absolute_url()
    answers = [get(path) for _ in range(4)]
    assert all(answer.by_django for answer in answers)
    assert "s-maxage=" in answers[-1]["Cache-Control"]


def test_switched_off_nothing_is_given_again(get, settings, story):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    path = story.get_absolute_url()
    assert all(get(path).by_django for _ in range(4))


def test_each_answer_is_logged_with_its_id(get, story, caplog):
    path = story.get_absolute_url()
    given_by_the_front(get, path)
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        answer = get(path, X_Request_Id="reader-report-42")
    assert not answer.by_django
    assert answer[HEADER] == "reader-report-42"
    [record] = [r for r in caplog.records if r.name == "newsroom.requests"]
    assert record.getMessage() == f"GET {path} 200"
    assert record.request_id == "reader-report-42"
    assert record.status == 200
