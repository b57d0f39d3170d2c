"""The writing screen in a real browser: its layout at a desktop and a phone
width, the live counts, the previews and the toolbar's drawn icons."""

import pytest
from django.contrib.auth.models import User

from tests.browser.test_editor_flow import log_in
from tests.factories import make_article
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_HEADLINE = (
    "Flood defences fail in three towns as the river reaches a record height "
    "not seen since the winter of 1953"
)


@pytest.fixture
def page(new_page):
    make_user("Editor", username="eddie")
    page = new_page()
    log_in(page, User.objects.get(username="eddie"))
    return page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def open_editor(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_selector(".field-body .ProseMirror:visible")


def test_at_1280_the_words_are_wide_and_publishing_is_beside_them(page, output_dir):
    article = make_article(headline=LONG_HEADLINE)
    open_editor(page, f"/admin/articles/article/{article.pk}/change/", 1280)
    page.screenshot(path=str(output_dir / "writing-1280.png"), full_page=True)
    headline, deck = box(page, "#id_headline"), box(page, "#id_deck")
    body = box(page, ".field-body .ProseMirror:visible")
    publishing = box(page, ".newsroom-publishing")
    # Headline, deck and body share the main column, in that order.
    assert deck["y"] > headline["y"] and body["y"] > deck["y"]
    assert deck["width"] == pytest.approx(headline["width"], abs=2)
    assert headline["width"] >= 520
    # The long headline wraps inside its box, whole, in large type.
    assert page.eval_on_selector(
        "#id_headline", "e => e.scrollHeight <= e.clientHeight + 1"
    )
    assert headline["height"] > 60
    size = page.eval_on_selector("#id_headline", "e => getComputedStyle(e).fontSize")
    assert float(size.rstrip("px")) >= 24
    # Publishing sits in a column to the right, level with the headline.
    assert publishing["x"] >= headline["x"] + headline["width"]
    assert publishing["y"] < body["y"]
    assert body["height"] >= 400


def test_at_390_everything_is_one_column_without_sideways_scrolling(page, output_dir):
    article = make_article(headline=LONG_HEADLINE)
    open_editor(page, f"/admin/articles/article/{article.pk}/change/", 390)
    page.screenshot(path=str(output_dir / "writing-390.png"), full_page=True)
    headline = box(page, "#id_headline")
    body = box(page, ".field-body .ProseMirror:visible")
    publishing = box(page, ".newsroom-publishing")
    assert publishing["y"] > body["y"] + body["height"]
    assert headline["width"] >= 300
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )
    assert page.eval_on_selector(
        "#id_headline", "e => e.scrollHeight <= e.clientHeight + 1"
    )


def test_the_body_grows_with_the_text_and_counts_its_words(page):
    open_editor(page, "/admin/articles/article/add/", 1280)
    counts = page.locator("#body-counts")
    assert counts.inner_text() == "0 words · 0 min read"
    editor = page.locator(".field-body .ProseMirror:visible").first
    before = editor.bounding_box()["height"]
    editor.click()
    page.keyboard.type("The council met on Monday night.")
    page.wait_for_function(
        "() => document.querySelector('#body-counts').innerText"
        " === '6 words · 1 min read'"
    )
    for _ in range(40):
        page.keyboard.press("Enter")
        page.keyboard.type("More words here.")
    page.wait_for_function(
        "() => document.querySelector('#body-counts').innerText"
        " === '126 words · 1 min read'"
    )
    assert editor.bounding_box()["height"] > before + 200


def test_the_previews_follow_what_is_typed_and_are_cut_as_a_search_engine_does(
    page,
):
    open_editor(page, "/admin/articles/article/add/", 1280)
    page.fill("#id_headline", LONG_HEADLINE)
    page.fill("#id_deck", "Water rose. " * 30)
    title = page.locator("[data-preview=search-title]")
    description = page.locator("[data-preview=search-description]")
    assert title.inner_text() == (
        "Flood defences fail in three towns as the river reaches a…"
    )
    assert len(description.inner_text()) <= 160
    assert description.inner_text().endswith("rose…")
    assert (
        page.locator("[data-preview=card-title]")
        .inner_text()
        .startswith("Flood defences fail in three towns")
    )
    # The SEO fields, where given, are what search engines and cards show.
    page.locator(".newsroom-sharing summary, .newsroom-sharing h2").first.click()
    page.fill("#id_seo_title", "Floods: three towns")
    assert title.inner_text() == "Floods: three towns | The Newsroom"
    assert page.locator("[data-preview=card-title]").inner_text() == (
        "Floods: three towns"
    )


def test_the_toolbar_icons_need_no_font(page, output_dir):
    # Without the icon font at all, the toolbar still shows drawn icons.
    page.route("**/*.woff2", lambda route: route.abort())
    open_editor(page, "/admin/articles/article/add/", 1280)
    page.locator(".prose-menubar").first.screenshot(
        path=str(output_dir / "writing-toolbar.png")
    )
    buttons = page.locator(".prose-menubar__button:visible")
    assert buttons.count() >= 8
    assert page.locator(".prose-menubar .material-icons").count() == 0
    texts = buttons.evaluate_all("bs => bs.map(b => b.textContent.trim())")
    assert not any(texts), texts
    drawn = buttons.evaluate_all(
        "bs => bs.filter(b => b.querySelector('svg') &&"
        " b.querySelector('svg').getBoundingClientRect().width > 0).length"
    )
    labelled = buttons.evaluate_all(
        "bs => bs.filter(b => b.getAttribute('aria-label')).length"
    )
    assert drawn == buttons.count() == labelled
