"""The editors' screens at a desktop width: nothing cut off, nothing unreadable."""

import pytest
from django.contrib.auth.models import User

from tests.browser.test_editor_flow import log_in
from tests.factories import make_article
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_page):
    make_user("Editor", username="eddie", is_superuser=True)
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, User.objects.get(username="eddie"))
    return page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_headline_takes_the_form_width_and_the_body_is_tall(page, output_dir):
    page.goto("/admin/articles/article/add/")
    page.screenshot(path=str(output_dir / "admin-add-1280.png"), full_page=True)
    form = box(page, "fieldset.module")
    headline = box(page, "#id_headline")
    # The input runs from its label to the fieldset's edge.
    assert headline["x"] + headline["width"] > form["x"] + form["width"] * 0.9
    assert box(page, "#id_deck")["width"] == pytest.approx(headline["width"], abs=2)
    assert box(page, ".field-body .ProseMirror:visible")["height"] >= 300


def test_the_preview_links_panel_stays_below_the_form(page, output_dir):
    article = make_article(
        headline="Flood defences fail in three towns as the river reaches a record"
    )
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.screenshot(path=str(output_dir / "admin-change-1280.png"), full_page=True)
    form = box(page, "#article_form")
    panel = box(page, "#preview-links h2")
    assert panel["y"] >= form["y"] + form["height"]
    assert panel["height"] < 60
    # A headline of a usual length is visible whole in its box.
    assert page.eval_on_selector("#id_headline", "e => e.scrollWidth <= e.clientWidth")


def test_the_editor_menu_draws_its_picker_arrow_without_a_font(page):
    page.goto("/admin/articles/article/add/")
    # The editor's menu is built by its module script after the page loads.
    page.wait_for_selector(".prose-menubar__selected")
    content = page.eval_on_selector(
        ".prose-menubar__selected",
        "e => getComputedStyle(e, '::after').content",
    )
    assert content in ('""', "none")


def test_the_article_list_gives_headlines_room_at_1280(page, output_dir):
    for n in range(12):
        make_article(
            headline=f"Flood defences fail in three towns as the river reaches "
            f"a record, part {n}",
            authors=[],
            credit="Staff",
        )
    page.goto("/admin/articles/article/")
    page.screenshot(path=str(output_dir / "admin-list-1280.png"), full_page=True)
    headline = box(page, "#result_list th.field-headline")
    assert headline["width"] >= 240
    # A long headline takes two or three lines, not five.
    line = float(
        page.eval_on_selector(
            "#result_list th.field-headline a",
            "e => parseFloat(getComputedStyle(e).lineHeight) || 16",
        )
    )
    assert headline["height"] <= line * 3 + 20
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )
    # Every column is in view: none is scrolled off behind the filters.
    table = box(page, "#result_list")
    results = box(page, ".results")
    assert table["x"] + table["width"] <= results["x"] + results["width"] + 1
