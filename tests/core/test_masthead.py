"""The header is rendered once per day, content generation and current section,
and shows each page its own current section, search query and day."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles import freshness
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

HEADER = "includes/header.html"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def desks():
    harbour = make_section(name="Harbour Desk", slug="harbour")
    city = make_section(name="City Desk", slug="city")
    return harbour, city


def header(response):
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="masthead">') : html.index("</header>")]


def current(html):
    """The navigation's links marked current: [(text, aria-current)]."""
    marked = []
    for item in html.split("<li>")[1:]:
        if "aria-current" in item:
            value = item.split('aria-current="')[1].split('"')[0]
            marked.append((item.split(">")[1].split("<")[0], value))
    return marked


def test_each_page_marks_its_own_section_with_headers_kept(client, desks):
    harbour, city = desks
    ferry = make_article(section=harbour)
    bridge = make_article(section=city)
    pages = [
        (ferry.get_absolute_url(), [("Harbour Desk", "true")]),
        (bridge.get_absolute_url(), [("City Desk", "true")]),
        ("/section/harbour/", [("Harbour Desk", "page")]),
        ("/", [("Home", "page")]),
    ]
    for _ in range(2):  # rendered, then kept
        for url, marked in pages:
            assert current(header(client.get(url))) == marked, url


def test_a_kept_header_is_not_rendered_again(client, desks):
    harbour, _ = desks
    first, second = make_article(section=harbour), make_article(section=harbour)
    rendered = client.get(first.get_absolute_url())
    kept = client.get(second.get_absolute_url())
    assert HEADER in [t.name for t in rendered.templates]
    assert HEADER not in [t.name for t in kept.templates]
    assert header(kept) == header(rendered)


def test_a_renamed_section_shows_in_the_header_at_once(client, desks):
    harbour, _ = desks
    story = make_article(section=harbour)
    assert "Harbour Desk" in header(client.get(story.get_absolute_url()))
    harbour.name = "Coast Desk"
    harbour.save()
    freshness.pages_changed()  # as the section admin does (RetiresPages)
    shown = header(client.get(story.get_absolute_url()))
    assert "Coast Desk" in shown
    assert "Harbour Desk" not in shown


def test_the_search_box_shows_the_query_on_its_search_page_only(client, desks):
    harbour, _ = desks
    make_article(section=harbour, headline="Ferry returns")
    searched = 'value="ferry &lt;b&gt;"'
    assert searched in header(client.get("/search/?q=ferry <b>"))
    # A page of no section, whose header would be kept under the same key.
    assert 'value=""' in header(client.get("/corrections/"))
    assert searched in header(client.get("/search/?q=ferry <b>"))
    # Each search its own query, the header being kept.
    again = header(client.get("/search/?q=harbour"))
    assert 'value="harbour"' in again and "ferry" not in again


def test_the_header_shows_the_new_day_once_it_has_come(client, desks):
    harbour, _ = desks
    story = make_article(section=harbour)
    url = story.get_absolute_url()
    today = header(client.get(url))
    tomorrow = timezone.localtime() + timedelta(days=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=tomorrow),
        mock.patch("django.template.defaulttags.datetime") as clock,
    ):
        clock.now.side_effect = lambda tz=None: tomorrow.astimezone(tz)
        shown = header(client.get(url))
    assert shown != today
    assert f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y}" in shown
