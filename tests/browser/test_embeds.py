"""Embeds in a real browser: nothing from the provider loads before the click.

Every request the page makes goes through Playwright's router: the live
server's own are let through, any other is recorded and answered by a stub,
so the test needs no network and sees exactly what would have left the page.
"""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Image
from articles.sanitize import sanitize_body
from tests.browser.test_editor_flow import log_in, pick
from tests.factories import jpeg_bytes, make_article, make_section
from tests.staff import make_user

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


def test_an_editor_inserts_an_embed_and_pictures(new_page, live_server):
    editor = make_user("Editor", username="eddie")
    make_section(name="City", slug="city")
    Image.objects.create(
        file=SimpleUploadedFile("quay.jpg", jpeg_bytes((800, 450))),
        alt="The quay at dawn",
        caption="Boats leave at six.",
        credit="Ada Marsh",
    )
    page = new_page()
    outside = route_outside(page, live_server)
    log_in(page, editor)
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Harbour reopens")
    pick(page, "id_section", "City")
    page.locator(".field-body .ProseMirror:visible").first.click()
    page.keyboard.type("The harbour reopened.")

    # Embed: paste an address, see which provider it is, insert.
    page.get_by_role("button", name="Embed a post, video, audio or map").click()
    page.get_by_label("Address of the post, video, audio or map").fill(YOUTUBE)
    status = page.locator("dialog .body-media__status")
    status.filter(has_text="YouTube: readers see a button that loads it.").wait_for()
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator(".ProseMirror figure.embed").wait_for()

    # Picture from the library: alt, caption and credit come with it.
    page.get_by_role("button", name="Insert a picture").click()
    page.locator(".body-media__library button", has_text="The quay at dawn").click()
    assert page.get_by_label("Alt text (required)").input_value() == "The quay at dawn"
    page.locator("dialog[open]").get_by_label("Credit").fill("A. Marsh")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator(".ProseMirror figure.picture").wait_for()

    # Picture uploaded: refused without alt text, inserted with it.
    page.get_by_role("button", name="Insert a picture").click()
    page.get_by_label("Or upload a picture").set_input_files(
        files=[{"name": "pier.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.get_by_role("button", name="Insert", exact=True).click()
    assert page.locator("dialog[open]").count() == 1  # alt is required
    page.get_by_label("Alt text (required)").fill("The pier")
    page.get_by_label("Caption").fill("The new pier.")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator(".ProseMirror figure.picture >> nth=1").wait_for()

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert outside == []

    body = Article.objects.get().body
    quay, pier = Image.objects.order_by("pk")  # the upload refused made none
    assert body.startswith('<p>The harbour reopened.</p><figure class="embed"')
    assert (
        f'<figure class="embed" data-embed-provider="youtube" '
        f'data-embed-url="{YOUTUBE}"><a href="{YOUTUBE}" '
        f'rel="noopener noreferrer">{YOUTUBE}</a></figure>'
    ) in body
    assert (
        f'<figure class="picture"><img src="{quay.file.url}" alt="The quay at dawn" '
        'width="800" height="450"><figcaption>Boats leave at six. '
        "<small>A. Marsh</small></figcaption></figure>"
    ) in body
    assert (
        f'<figure class="picture"><img src="{pier.file.url}" alt="The pier" '
        'width="40" height="30"><figcaption>The new pier.</figcaption></figure>'
    ) in body

    # Opened again, the editor reads back what it wrote: saved unchanged.
    version = Article.objects.get().version
    page.locator(".ProseMirror figure.picture >> nth=1").wait_for()
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    saved = Article.objects.get()
    assert (saved.version, saved.body) == (version + 1, body)


def test_imported_pictures_survive_editing(new_page):
    article = make_article(
        body=sanitize_body(
            '<p>Before.</p><figure><img src="/media/images/old.jpg" alt="Old pier">'
            "<figcaption>The old pier.</figcaption></figure>"
            '<p>Then <img src="/media/images/quay.jpg" alt="Quay"> after.</p>'
        )
    )
    page = new_page()
    log_in(page, make_user("Editor"))
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror figure.picture >> nth=1").wait_for()
    page.locator(".field-body .ProseMirror p", has_text="Before.").click()
    page.keyboard.press("End")
    page.keyboard.type(" Edited.")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get().body == (
        '<p>Before. Edited.</p><figure class="picture">'
        '<img src="/media/images/old.jpg" alt="Old pier">'
        "<figcaption>The old pier.</figcaption></figure>"
        '<p>Then</p><figure class="picture"><img src="/media/images/quay.jpg" '
        'alt="Quay"></figure><p> after.</p>'
    )
