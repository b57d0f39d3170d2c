"""The editor's whole day in one journey, in a real browser: write with a
picture and an embed, autosave and restore, preview, publish, schedule, send
for review, resolve a conflict, correct and withdraw. Each step is
screenshotted: with NEWSROOM_GUIDE_SHOTS=1 (`make guide`) into
docs/editor-guide/ for docs/editor-guide.md, else into the test output.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.browser.test_accessibility import AXE, violations
from tests.browser.test_autosave import is_autosave_of
from tests.browser.test_editor_flow import log_in, pick
from tests.browser.test_embeds import YOUTUBE, route_outside
from tests.factories import jpeg_bytes, make_author, make_section
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "editor-guide"
BODY = ".field-body .ProseMirror:visible"
HEADLINE = "Harbour reopens after two years of repairs"
SCHEDULED = "Tram line opens to the harbour"
MARKER = "Ferries return in spring."


@pytest.fixture
def shots(output_dir):
    folder = GUIDE if os.environ.get("NEWSROOM_GUIDE_SHOTS") == "1" else None
    folder = folder or output_dir / "editor-guide"
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page_or_element, name):
        page_or_element.screenshot(path=str(folder / f"{name}.png"))

    return shot


@pytest.fixture
def newsroom():
    make_section(name="City", slug="city")
    make_author(name="Ada Marsh", slug="ada-marsh")
    Image.objects.create(
        file=SimpleUploadedFile("quay.jpg", jpeg_bytes((800, 450))),
        alt="The quay at dawn",
        caption="Boats leave at six.",
        credit="Ada Marsh",
    )
    for name in ("eddie", "alice"):
        make_user("Editor", username=name)
    make_user("Reporter", username="rita")


def desk_page(new_page, live_server, username):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    route_outside(page, live_server)
    log_in(page, User.objects.get(username=username))
    return page


def write(page, headline, deck, text):
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", headline)
    page.fill("#id_deck", deck)
    page.locator(BODY).first.click()
    page.keyboard.type(text)
    pick(page, "id_section", "City")
    pick(page, "id_bylines-0-author", "Ada Marsh")


def act(page, action):
    page.click(f"button[name=_action][value={action}]")
    page.wait_for_selector(".messagelist .success")


def test_an_editors_day(newsroom, new_page, live_server, settings, shots):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 0.3
    page = desk_page(new_page, live_server, "eddie")
    shots(page, "01-desk")
    # The desk takes the page's width, not the writing screen's side column.
    assert page.locator(".newsroom-desk-grid").bounding_box()["width"] > 800

    # Write: the words, a YouTube embed and a picture from the library.
    write(page, HEADLINE, "Boats are back at the quay.", "The harbour reopened.")
    page.get_by_role("button", name="Embed a post, video, audio or map").click()
    page.get_by_label("Address of the post, video, audio or map").fill(YOUTUBE)
    page.locator("dialog .body-media__status").filter(
        has_text="YouTube: readers see a button that loads it."
    ).wait_for()
    shots(page.locator("dialog[open]"), "02-embed")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator(".ProseMirror figure.embed").wait_for()
    page.get_by_role("button", name="Insert a picture").click()
    page.locator(".body-media__library button", has_text="The quay at dawn").click()
    shots(page.locator("dialog[open]"), "03-picture")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator(".ProseMirror figure.picture").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shots(page, "04-writing")
    act(page, "draft")
    assert page.locator(".newsroom-state").inner_text() == "Now: a draft"
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert 'data-embed-provider="youtube"' in article.body
    assert 'alt="The quay at dawn"' in article.body

    # Autosave keeps what is typed; a reload offers it back.
    page.locator(BODY).first.locator("p", has_text="The harbour reopened.").click()
    page.keyboard.press("End")
    with page.expect_response(is_autosave_of("Ferries")) as autosaved:
        page.keyboard.type(f" {MARKER}")
    assert autosaved.value.status == 204
    # Kept at a time on the newsroom's 24-hour clock, as the desk gives it.
    kept = page.locator("#autosave-state")
    expect(kept).to_have_text(re.compile(r"^Unsaved changes kept at \d\d:\d\d\.$"))
    page.reload()
    offer = page.locator("#autosave-offer")
    assert "You have unsaved changes from" in offer.inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    shots(page, "05-autosave-offer")
    offer.locator("text=Restore").click()
    page.wait_for_selector(".newsroom-autosave-notice:has-text('Save to keep them')")
    expect(page.locator(BODY).first).to_contain_text(MARKER)

    # The previews show what search engines and social cards will.
    previews = page.locator(".newsroom-previews")
    assert previews.locator("[data-preview=search-title]").inner_text() == (
        "Harbour reopens after two years of repairs | The Newsroom"
    )
    assert previews.locator("[data-preview=card-title]").inner_text() == HEADLINE
    previews.scroll_into_view_if_needed()
    shots(previews, "06-previews")

    # Publish now: readers see it, on its page and on the home page.
    act(page, "publish")
    assert "Published: readers can see it now." in page.content()
    page.evaluate("window.scrollTo(0, 0)")
    shots(page, "07-published")
    article.refresh_from_db()
    assert article.is_live and MARKER in article.body
    reader = new_page()
    reader.set_viewport_size({"width": 1280, "height": 900})
    route_outside(reader, live_server)
    reader.goto("/")
    expect(reader.locator(f"text={HEADLINE}").first).to_be_visible()
    response = reader.goto(article.get_absolute_url())
    assert response.status == 200
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    expect(reader.locator(".story__body, article").first).to_contain_text(MARKER)
    assert reader.get_by_role("button", name="Load YouTube content").is_visible()
    assert reader.locator("img[alt='The quay at dawn']").count() == 1
    shots(reader, "08-article")

    # Schedule a second story, in the newsroom's time zone.
    when = timezone.localtime() + timedelta(minutes=30)
    write(page, SCHEDULED, "The new line runs every ten minutes.", "Trams run.")
    page.click(".newsroom-action--schedule summary")
    assert f"time zone: {settings.TIME_ZONE}" in page.inner_text(".newsroom-when")
    page.fill("#id_published_at_0", when.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", when.strftime("%H:%M:%S"))
    page.locator(".newsroom-publishing").scroll_into_view_if_needed()
    shots(page.locator(".newsroom-publishing"), "09-schedule")
    act(page, "schedule")
    assert "scheduled for" in page.locator(".newsroom-state").inner_text()
    scheduled = Article.objects.get(headline=SCHEDULED)
    assert scheduled.published_at == when.replace(microsecond=0)
    assert reader.goto(scheduled.get_absolute_url()).status == 404
    page.goto("/admin/")
    today = when.date() == timezone.localdate()
    assert (SCHEDULED in page.locator("#scheduled").inner_text()) is today
    shots(page, "10-desk-scheduled")

    # A reporter sends a story for review and is not offered Publish.
    rita = desk_page(new_page, live_server, "rita")
    write(rita, "Bus fares rise in March", "Tickets cost more.", "Fares rise.")
    actions = rita.locator("button[name=_action]").all_inner_texts()
    assert actions == ["Save draft", "Send for review"]
    act(rita, "review")
    rita.evaluate("window.scrollTo(0, 0)")
    shots(rita, "11-sent-for-review")
    fares = Article.objects.get(headline="Bus fares rise in March")
    assert fares.status == Article.Status.REVIEW
    # A forged "Publish now" is refused by the server.
    rita.evaluate(
        """() => {
            document.querySelector('button[name=_action]').value = 'publish';
        }"""
    )
    rita.click("button[name=_action][value=publish]")
    rita.wait_for_selector(".errornote")
    assert "Only an editor can publish" in rita.content()
    fares.refresh_from_db()
    assert fares.status == Article.Status.REVIEW
    page.goto("/admin/")
    assert "Bus fares rise in March" in page.locator("#in-review").inner_text()

    # Two editors at once: the second sees the conflict, then saves again.
    change = f"/admin/articles/article/{article.pk}/change/"
    alice = desk_page(new_page, live_server, "alice")
    page.goto(change)
    alice.goto(change)
    alice.fill("#id_headline", "Harbour reopens after repairs")
    act(alice, "save")
    page.fill("#id_deck", "Boats are back at the quay, and the ferries soon.")
    page.click("button[name=_action][value=save]")
    page.wait_for_selector(".newsroom-conflict")
    conflict = page.locator(".newsroom-conflict").inner_text()
    assert "Someone else saved this article" in conflict
    # Only what alice changed is listed: the headline.
    assert "Headline" in conflict and "Publication time" not in conflict
    page.locator(".newsroom-conflict").scroll_into_view_if_needed()
    shots(page, "12-conflict")
    act(page, "save")
    article.refresh_from_db()
    assert article.deck == "Boats are back at the quay, and the ferries soon."
    assert article.headline == HEADLINE

    # Correct the published story: the note shows on its page.
    page.click("#corrections-group .add-row a")
    page.select_option("#id_corrections-0-kind", "correction")
    page.fill(
        "#id_corrections-0-text",
        "An earlier version gave the wrong year for the closure.",
    )
    page.locator("#corrections-group").scroll_into_view_if_needed()
    shots(page.locator("#corrections-group"), "13-correction")
    act(page, "save")
    reader.goto(article.get_absolute_url())
    notes = reader.locator(".story__corrections")
    expect(notes).to_contain_text("gave the wrong year for the closure")
    notes.scroll_into_view_if_needed()
    shots(reader, "14-correction-on-page")

    # Withdraw with a reason: readers get 410 and the reason.
    reason = "This story named the wrong company; it has been withdrawn."
    page.click(".newsroom-action--withdraw summary")
    page.fill("#id_withdrawn_reason", reason)
    shots(page.locator(".newsroom-publishing"), "15-withdraw")
    act(page, "withdraw")
    assert reader.goto(article.get_absolute_url()).status == 410
    expect(reader.locator("body")).to_contain_text(reason)
    shots(reader, "16-withdrawn")

    # The screens this journey visits that other tests don't check with axe.
    if AXE.exists():
        context = page.context.browser.new_context(
            base_url=live_server.url, bypass_csp=True
        )
        axe_page = context.new_page()
        axe_page.set_viewport_size({"width": 1280, "height": 900})
        axe_page.goto("/admin/login/")
        found = violations(axe_page)
        log_in(axe_page, User.objects.get(username="eddie"))
        for pk in (scheduled.pk, article.pk):
            axe_page.goto(f"/admin/articles/article/{pk}/change/")
            axe_page.wait_for_selector(BODY)
            found += violations(axe_page)
        context.close()
        assert not found, "\n".join(
            f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in found
        )
