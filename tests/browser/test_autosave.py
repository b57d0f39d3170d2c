"""Autosave in a real browser: typed text survives a reload, comes back on
Restore, and reaches the article only when saved."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles import publishing
from articles.editorial.models import Autosave
from tests.browser.test_editor_flow import log_in
from tests.factories import make_article
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKER = "Zanzibarquokka"
BODY = ".field-body .ProseMirror:visible"


def is_autosave_of(text):
    def check(response):
        request = response.request
        return (
            request.method == "POST"
            and request.url.endswith("/autosave/")
            and text in (request.post_data or "")
        )

    return check


@pytest.fixture
def editor_page(new_page):
    make_user("Editor", username="eddie")
    page = new_page()
    log_in(page, User.objects.get(username="eddie"))
    return page


def type_in_body(page, text):
    page.locator(BODY).first.click()
    page.keyboard.press("End")
    page.keyboard.type(f" {text}")


def test_typed_text_is_autosaved_restored_and_saved(editor_page, settings, output_dir):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 0.3
    article = make_article(
        headline="Harbour plan", body="<p>The harbour plan.</p>", status="draft",
        published_at=None,
    )  # fmt: skip
    page = editor_page
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    with page.expect_response(is_autosave_of(MARKER)) as autosaved:
        type_in_body(page, MARKER)
    assert autosaved.value.status == 204
    assert "Unsaved changes kept at" in page.inner_text("#autosave-state")
    article.refresh_from_db()
    assert MARKER not in article.body

    page.reload()
    offer = page.locator("#autosave-offer")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(output_dir / "admin-autosave-offer.png"))
    assert "You have unsaved changes from" in offer.inner_text()
    expect(page.locator(BODY).first).to_contain_text("The harbour plan.")
    assert MARKER not in page.locator(BODY).first.inner_text()
    offer.locator("text=Restore").click()
    page.wait_for_selector(".newsroom-autosave-notice:has-text('Save to keep them')")
    expect(page.locator(BODY).first).to_contain_text(MARKER)

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert MARKER in article.body
    assert not Autosave.objects.exists()
    assert page.locator("#autosave-offer").count() == 0


def test_hiding_the_page_keeps_a_copy(editor_page, settings):
    """The interval is 20 s here: the copy is the one sent as the page is
    hidden (another tab, the phone's home screen, closing it)."""
    settings.NEWSROOM_AUTOSAVE_SECONDS = 20
    article = make_article(status="draft", published_at=None)
    page = editor_page
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    type_in_body(page, MARKER)
    with page.expect_response(is_autosave_of(MARKER)) as kept:
        page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState",
                                      {value: "hidden", configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        )
    assert kept.value.status == 204
    assert MARKER in Autosave.objects.get(article=article).data["body"][0]


def test_a_copy_older_than_a_colleagues_save_is_not_offered(editor_page, settings):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 0.3
    article = make_article(status="draft", published_at=None)
    page = editor_page
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    with page.expect_response(is_autosave_of(MARKER)):
        type_in_body(page, MARKER)
    publishing.update(article, by=make_user("Editor"), note="")

    # The open form learns its copy is refused, and stops.
    with page.expect_response(is_autosave_of("more")) as refused:
        page.keyboard.insert_text(" more")  # one edit: one copy sent
    assert refused.value.status == 409
    assert "autosave has stopped" in page.inner_text("#autosave-state")

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    assert page.locator("#autosave-offer").count() == 0
    assert re.search(MARKER, page.content()) is None


def test_discard_deletes_the_copy_and_autosave_goes_on(editor_page, settings):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 0.3
    article = make_article(status="draft", published_at=None)
    page = editor_page
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    with page.expect_response(is_autosave_of(MARKER)):
        type_in_body(page, MARKER)
    page.reload()
    with page.expect_response(is_autosave_of("discard=1")) as discarded:
        page.click("#autosave-discard")
    assert discarded.value.status == 204
    expect(page.locator("#autosave-offer")).to_have_count(0)
    assert not Autosave.objects.exists()
    # Typing on keeps a new copy.
    with page.expect_response(is_autosave_of("again")) as kept:
        type_in_body(page, "again")
    assert kept.value.status == 204
    assert "again" in Autosave.objects.get().data["body"][0]
