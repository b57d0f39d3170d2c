"""The editor's and the reader's main paths, in a real browser."""

import re

import pytest
from django.contrib.auth.models import User

from articles.models import Article, Image
from tests.factories import jpeg_bytes, make_article, make_author, make_section
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long password 123"


def log_in(page, user):
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def pick(page, field_id, text):
    """Choose `text` in one of the admin's autocomplete (select2) fields."""
    page.click(f"#{field_id} ~ .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_an_editor_writes_previews_and_publishes_and_readers_see_it(
    new_page, output_dir
):
    editor = make_user("Editor", username="eddie")
    make_section(name="City", slug="city")
    make_author(name="Ada Marsh", slug="ada-marsh")
    make_author(name="Ben Kell", slug="ben-kell")

    page = new_page()
    log_in(page, editor)

    # A picture first, uploaded like any other.
    page.goto("/admin/articles/image/add/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "hall.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_bytes((800, 450)),
            }
        ],
    )
    page.fill("#id_alt", "The town hall at dawn")
    page.fill("#id_credit", "Photo: Ada Marsh")  # publishing asks for one
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/articles/image/$"))

    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Mayor resigns after audit")
    page.fill("#id_deck", "The audit found missing funds.")
    editor_box = page.locator(".field-body .ProseMirror:visible").first
    editor_box.click()
    page.keyboard.type("The mayor resigned on Monday.")
    page.keyboard.press("Enter")
    page.keyboard.type("## What happens next")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the report at https://example.org/audit ")
    pick(page, "id_section", "City")
    page.fill("#id_tags", "City Hall, Audit")
    pick(page, "id_hero_image", "The town hall at dawn")
    pick(page, "id_bylines-0-author", "Ben Kell")
    page.fill("#id_bylines-0-position", "0")
    page.click("#bylines-group .add-row a")
    pick(page, "id_bylines-1-author", "Ada Marsh")
    page.fill("#id_bylines-1-position", "1")
    page.screenshot(path=str(output_dir / "admin-editor.png"), full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert "<h2>What happens next</h2>" in article.body
    assert 'href="https://example.org/audit"' in article.body
    assert [a.name for a in article.byline_authors] == ["Ben Kell", "Ada Marsh"]
    assert sorted(article.tags.names()) == ["Audit", "City Hall"]
    assert article.hero_image == Image.objects.get()

    # Preview, as readers will see it, marked as a preview.
    change_page = page.url
    page.click("a.viewsitelink")
    page.wait_for_url(re.compile(r"/preview/\d+/$"))
    assert "Preview — not published." in page.content()
    assert "Mayor resigns after audit" in page.content()
    page.goto(change_page)

    page.click("button[name=_action][value=publish]")
    page.wait_for_selector(".messagelist .success")
    assert "Published: readers can see it now." in page.content()
    article.refresh_from_db()
    assert article.is_live

    reader = new_page()
    reader.goto("/")
    assert reader.locator("text=Mayor resigns after audit").count() >= 1
    reader.goto("/tag/audit/")
    assert reader.locator("text=Mayor resigns after audit").count() >= 1
    feed = reader.request.get("/feed/")
    assert feed.ok and "Mayor resigns after audit" in feed.text()
    reader.goto(article.get_absolute_url())
    assert reader.locator("h2:has-text('What happens next')").count() == 1
    assert reader.locator("a[href='https://example.org/audit']").count() == 1
    byline = reader.locator(".story__meta").inner_text()
    assert byline.index("Ben Kell") < byline.index("Ada Marsh")
    reader.screenshot(path=str(output_dir / "article-page.png"), full_page=True)


def test_a_reporter_cannot_publish(new_page):
    reporter = make_user("Reporter", username="rita")
    make_section(name="City", slug="city")
    article = make_article(
        headline="Rita's draft", status="draft", published_at=None, created_by=reporter
    )
    page = new_page()
    log_in(page, reporter)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    actions = page.locator("button[name=_action]").all_inner_texts()
    assert actions == ["Save draft", "Send for review"]
    # A "Publish now" button forced into the page changes nothing on the server.
    page.evaluate(
        """() => {
            const button = document.querySelector('button[value=review]');
            button.value = 'publish';
        }"""
    )
    page.click("button[name=_action][value=publish]")
    page.wait_for_selector(".errornote")
    assert "Only an editor can publish" in page.content()
    article.refresh_from_db()
    assert article.status == "draft"


def test_a_stale_save_shows_the_conflict_and_keeps_the_typed_text(new_page):
    article = make_article(headline="Flood defences fail", deck="Water rose.")
    pages = []
    for name in ("alice", "bob"):
        make_user("Editor", username=name)
        page = new_page()
        log_in(page, User.objects.get(username=name))
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        pages.append(page)
    alice, bob = pages

    alice.fill("#id_headline", "Flood defences fail in three towns")
    alice.click("input[name=_save]")
    alice.wait_for_selector(".messagelist .success")

    bob.fill("#id_deck", "Bob's new deck.")
    bob.click("input[name=_save]")
    bob.wait_for_selector(".newsroom-conflict")
    assert "Someone else saved this article" in bob.content()
    assert bob.input_value("#id_deck") == "Bob's new deck."
    article.refresh_from_db()
    assert article.headline == "Flood defences fail in three towns"
    assert article.deck == "Water rose."


def test_saving_again_after_a_conflict_overwrites_on_purpose(new_page):
    article = make_article(
        headline="Flood defences fail",
        deck="Water rose.",
        tags=["Floods", "Weather"],
        authors=[make_author(name="Ada Marsh"), make_author(name="Ben Kell")],
    )
    pages = []
    for name in ("alice", "bob"):
        make_user("Editor", username=name)
        page = new_page()
        log_in(page, User.objects.get(username=name))
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        pages.append(page)
    alice, bob = pages

    alice.fill("#id_headline", "Flood defences fail in three towns")
    alice.click("input[name=_save]")
    alice.wait_for_selector(".messagelist .success")

    bob.fill("#id_deck", "Bob's new deck.")
    bob.click("input[name=_save]")
    bob.wait_for_selector(".newsroom-conflict")
    bob.click("input[name=_save]")
    bob.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.deck == "Bob's new deck."
    # Bob's form carried the headline as he opened it: his version wins whole.
    assert article.headline == "Flood defences fail"


def test_saving_again_after_a_conflict_over_the_byline_saves(new_page):
    """Alice changes the byline; Bob, seeing the conflict, saves again on
    purpose, and his version is saved (before, every later save failed with
    "Please correct the error below" and no error shown)."""
    article = make_article(
        headline="Flood defences fail",
        deck="Water rose.",
        authors=[make_author(name="Ada Marsh")],
    )
    make_author(name="Ben Kell")
    pages = []
    for name in ("alice", "bob"):
        make_user("Editor", username=name)
        page = new_page()
        log_in(page, User.objects.get(username=name))
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        pages.append(page)
    alice, bob = pages

    pick(alice, "id_bylines-1-author", "Ben Kell")
    alice.click("button[name=_action][value=save]")
    alice.wait_for_selector(".messagelist .success")

    bob.fill("#id_deck", "Bob's new deck.")
    bob.click("button[name=_action][value=save]")
    bob.wait_for_selector(".newsroom-conflict")
    bob.click("button[name=_action][value=save]")
    bob.wait_for_selector(".messagelist .success")
    assert bob.locator(".errornote").count() == 0
    article.refresh_from_db()
    assert article.deck == "Bob's new deck."
    assert [a.name for a in article.byline_authors] == ["Ada Marsh"]
