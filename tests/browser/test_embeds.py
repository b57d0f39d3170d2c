"""Embeds in a real browser: nothing from the provider loads before the click.

Every request the page makes goes through Playwright's router: the live
server's own are let through, any other is recorded and answered by a stub,
so the test needs no network and sees exactly what would have left the page.
"""

from urllib.parse import urlsplit

import pytest

from articles.sanitize import sanitize_body
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def route_outside(page, live_server):
    """Record (and stub) every request to a host other than the live server."""
    own = urlsplit(live_server.url).netloc
    outside = []

    def handle(route):
        url = route.request.url
        if urlsplit(url).netloc == own:
            route.continue_()
        else:
            outside.append(url)
            route.fulfill(status=200, content_type="text/html", body="<p>player</p>")

    page.context.route("**/*", handle)
    return outside


def test_the_player_loads_only_when_the_reader_asks(new_page, live_server):
    article = make_article(
        body=sanitize_body(
            "<p>Watch the council meeting.</p>"
            f'<figure class="embed" data-embed-provider="youtube" '
            f'data-embed-url="{YOUTUBE}"><a href="{YOUTUBE}">{YOUTUBE}</a></figure>'
        )
    )
    page = new_page()
    outside = route_outside(page, live_server)
    page.goto(article.get_absolute_url(), wait_until="networkidle")

    button = page.get_by_role("button", name="Load YouTube content")
    assert button.is_visible()
    assert "YouTube" in page.locator(".embed__note").inner_text()
    assert page.locator("iframe").count() == 0
    assert outside == []

    with page.expect_request(lambda request: request.url == PLAYER):
        button.click()
    frame = page.locator("figure.embed iframe")
    assert frame.get_attribute("src") == PLAYER
    assert frame.get_attribute("title") == "YouTube content"
    assert page.locator(".embed__load").count() == 0
    # The page's CSP let the frame through: its request left the page.
    assert outside == [PLAYER]
