"""The sections' navigation is kept in each process's memory under the content
generation: no shared cache read of its own, and a section change shows at once."""

from unittest import mock

import pytest
from django.core.cache import caches

from articles import freshness
from articles.freshness import FRESHNESS_KEY
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def shared_reads(client, url):
    """The keys `url`'s page reads from the cache every process shares."""
    shared = caches["default"]
    with (
        mock.patch.object(shared, "get", wraps=shared.get) as get,
        mock.patch.object(shared, "get_many", wraps=shared.get_many) as get_many,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return [c.args[0] for c in get.call_args_list + get_many.call_args_list]


def test_the_home_page_reads_no_navigation_from_the_shared_cache(client):
    make_article(section=make_section(name="Harbour Desk"))
    client.get("/")  # the navigation read once
    read = shared_reads(client, "/")
    # The page cache's look-up reads the freshness entry; the page keeps its
    # parts under the generation that read gave (not read again).
    assert read == [FRESHNESS_KEY]


def test_a_renamed_section_shows_in_the_home_pages_rails_at_once(client):
    desk = make_section(name="Harbour Desk")
    make_article(section=desk)
    assert "Harbour Desk" in client.get("/").content.decode()
    desk.name = "Coast Desk"
    desk.save()
    freshness.pages_changed()  # as the section admin does (RetiresPages)
    html = client.get("/").content.decode()
    assert "Coast Desk" in html
    assert "Harbour Desk" not in html
