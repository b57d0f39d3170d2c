"""Live updates in real browsers: an editor posts an entry from the article's
panel without leaving the form, and a reader's open page shows it without a
reload."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles import publishing
from articles.models import LiveEntry
from tests.browser.test_editor_flow import log_in
from tests.factories import make_article
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_entry_reaches_an_open_page_without_a_reload(
    new_page, settings, output_dir
):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1
    story = make_article(headline="Storm Elin live", slug="storm-elin")
    publishing.add_live_entry(story, by=None, text="Gales reach the coast.")
    make_user("Editor", username="eddie")

    reader = new_page()
    reader.goto(story.get_absolute_url())
    expect(reader.locator("#live-updates")).to_contain_text("Gales reach the coast.")
    reader.evaluate("window.sameDocument = true")
    with reader.expect_response(
        lambda r: r.url.endswith("/live.json") and r.status == 304
    ):
        pass  # the page asks, and nothing has changed

    editor = new_page()
    log_in(editor, User.objects.get(username="eddie"))
    editor.goto(f"/admin/articles/article/{story.pk}/change/")
    editor.fill("#id_headline", "Storm Elin live: unsaved headline")
    editor.fill("#id_live-text", "Ferries suspended until noon.")
    editor.check("#id_live-pinned")
    editor.click("#live-updates button[value=add]")
    expect(editor.locator("#live-updates [data-live-status]")).to_have_text(
        "Entry posted."
    )
    # The article's form was not reloaded: the unsaved headline is still there.
    expect(editor.locator("#id_headline")).to_have_value(
        "Storm Elin live: unsaved headline"
    )
    assert (
        LiveEntry.objects.get(pinned=True).text
        == "<p>Ferries suspended until noon.</p>"
    )

    key_points = reader.locator("#live-updates [data-live-key-points]")
    expect(key_points).to_contain_text("Ferries suspended until noon.")
    expect(reader.locator("#live-updates [data-live-state]")).to_have_text(
        "Key points updated."
    )
    publishing.add_live_entry(story, by=None, text="Rest centres open.")
    entries = reader.locator("#live-updates [data-live-entries] .live-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Rest centres open.")  # newest first
    expect(reader.locator("#live-updates [data-live-state]")).to_have_text(
        "1 new update."
    )
    assert reader.evaluate("window.sameDocument") is True
    reader.screenshot(path=output_dir / "live-updates-reader.png", full_page=True)

    editor.once("dialog", lambda dialog: dialog.accept())
    editor.click("#live-updates button[value=end]")
    expect(editor.locator("#live-updates")).to_contain_text("Live coverage ended")
    expect(reader.locator("#live-updates [data-live-state]")).to_have_text(
        "Live coverage has ended."
    )
    expect(reader.locator("#live-updates .live__badge")).to_have_count(0)
