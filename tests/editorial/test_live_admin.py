"""The live updates panel on the article screen: entries added, edited, pinned
and the coverage ended by the panel's small forms, with exactly the article's
change permission."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.models import Article, LiveCoverage, LiveEntry
from tests.factories import make_article, make_author
from tests.staff import change_url, login, make_user

pytestmark = pytest.mark.django_db

PANEL = {"X-Newsroom-Panel": "live"}


def live_admin_url(article):
    return f"/admin/articles/article/{article.pk}/live/"


def add_data(**fields):
    data = {"live": "add", "live-text": "Ferries suspended until noon."}
    data.update({f"live-{name}": value for name, value in fields.items()})
    return data


@pytest.fixture
def editor():
    return make_user("Editor")


@pytest.fixture
def story():
    return make_article(headline="Storm live", slug="storm-live")


@pytest.fixture
def editor_client(client, editor):
    return login(client, editor)


class TestAdding:
    def test_the_panel_posts_an_entry_and_gets_itself_back(
        self, editor_client, editor, story
    ):
        author = make_author(name="Lena Field")
        response = editor_client.post(
            live_admin_url(story),
            add_data(author=author.pk, pinned="on"),
            headers=PANEL,
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="live-updates"' in html
        assert "Entry posted." in html
        assert "Ferries suspended until noon." in html
        assert "<html" not in html  # the panel alone, not a page
        entry = LiveEntry.objects.get(article=story)
        assert (entry.author, entry.pinned, entry.created_by) == (author, True, editor)
        assert LiveCoverage.objects.get(article=story).is_open

    def test_without_the_script_it_goes_back_to_the_article(self, editor_client, story):
        response = editor_client.post(live_admin_url(story), add_data())
        assert response.status_code == 302
        assert response["Location"] == change_url(story) + "#live-updates"
        page = editor_client.get(change_url(story)).content.decode()
        assert "Entry posted." in page
        assert "Ferries suspended until noon." in page

    def test_bad_input_is_400_with_the_reason_and_nothing_written(
        self, editor_client, story
    ):
        for data, reason in [
            (add_data(text=""), "This field is required."),
            (add_data(embed_url="https://example.com/a"), "not one of the embeds"),
            (add_data(image="999999"), "Select a valid choice."),
        ]:
            response = editor_client.post(live_admin_url(story), data, headers=PANEL)
            assert response.status_code == 400, reason
            assert reason in response.content.decode()
        assert not LiveEntry.objects.exists()
        assert not LiveCoverage.objects.exists()

    def test_the_article_screen_shows_the_panel(self, editor_client, story):
        publishing.add_live_entry(story, by=None, text="Earlier entry")
        page = editor_client.get(change_url(story)).content.decode()
        assert 'id="live-updates"' in page
        assert 'href="#live-updates"' in page
        assert "Earlier entry" in page
        assert "newsroom/live-panel.js" in page
        assert "End live coverage" in page

    def test_the_panel_costs_the_same_queries_however_many_entries(
        self, editor_client, story, django_assert_num_queries
    ):
        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert editor_client.get(change_url(story)).status_code == 200
            return len(ctx)

        publishing.add_live_entry(story, by=None, text="One", author=make_author())
        queries()  # the navigation and the like, cached
        few = queries()
        for n in range(8):
            publishing.add_live_entry(
                story, by=None, text=f"More {n}", author=make_author()
            )
        queries()
        assert queries() == few
        # The session, the user and their permissions (2), the article and
        # its byline, then the coverage, the default author, the author list
        # and the entries with their authors and pictures.
        with django_assert_num_queries(10):
            editor_client.get(live_admin_url(story), headers=PANEL)


class TestChanging:
    def test_edit_pin_unpin_and_end(self, editor_client, editor, story):
        entry = publishing.add_live_entry(story, by=None, text="Winds strong")
        url = live_admin_url(story)
        form = editor_client.get(f"{url}?edit={entry.pk}", headers=PANEL)
        assert form.status_code == 200
        assert f'name="entry-{entry.pk}-text"' in form.content.decode()
        prefix = f"entry-{entry.pk}"
        response = editor_client.post(
            url,
            {
                "live": "edit",
                "entry": entry.pk,
                f"{prefix}-text": "Winds at 110 km/h",
                f"{prefix}-seen": entry.updated_at.isoformat(),
            },
            headers=PANEL,
        )
        assert response.status_code == 200
        entry.refresh_from_db()
        assert entry.text == "<p>Winds at 110 km/h</p>"
        assert entry.updated_by == editor

        editor_client.post(url, {"live": "pin", "entry": entry.pk}, headers=PANEL)
        assert LiveEntry.objects.get(pk=entry.pk).pinned
        editor_client.post(url, {"live": "unpin", "entry": entry.pk}, headers=PANEL)
        assert not LiveEntry.objects.get(pk=entry.pk).pinned

        ended = editor_client.post(url, {"live": "end"}, headers=PANEL)
        assert ended.status_code == 200
        assert "Live coverage ended" in ended.content.decode()
        coverage = LiveCoverage.objects.get(article=story)
        assert coverage.ended_by == editor
        assert timezone.now() - coverage.ended_at < timezone.timedelta(minutes=1)
        assert "Post entry" not in ended.content.decode()

    def test_an_edit_from_a_stale_form_overwrites_nothing(self, editor_client, story):
        entry = publishing.add_live_entry(story, by=None, text="Original")
        seen = entry.updated_at.isoformat()
        publishing.edit_live_entry(entry, by=None, text="A colleague's fix")
        prefix = f"entry-{entry.pk}"
        response = editor_client.post(
            live_admin_url(story),
            {
                "live": "edit",
                "entry": entry.pk,
                f"{prefix}-text": "Mine",
                f"{prefix}-seen": seen,
            },
            headers=PANEL,
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Someone else changed this entry" in html
        assert "Mine" in html  # the editor's words stay in the form
        entry.refresh_from_db()
        assert entry.text == "<p>A colleague's fix</p>"

    def test_adding_after_the_end_is_refused(self, editor_client, story):
        publishing.add_live_entry(story, by=None, text="First")
        publishing.end_live_coverage(story, by=None)
        response = editor_client.post(live_admin_url(story), add_data(), headers=PANEL)
        assert response.status_code == 400
        assert "has ended" in response.content.decode()
        assert LiveEntry.objects.count() == 1

    def test_an_entry_of_another_article_is_404(self, editor_client, story):
        other = publishing.add_live_entry(make_article(), by=None, text="Elsewhere")
        response = editor_client.post(
            live_admin_url(story), {"live": "pin", "entry": other.pk}, headers=PANEL
        )
        assert response.status_code == 404
        assert not LiveEntry.objects.get(pk=other.pk).pinned

    def test_an_unknown_action_is_400(self, editor_client, story):
        response = editor_client.post(
            live_admin_url(story), {"live": "delete"}, headers=PANEL
        )
        assert response.status_code == 400

    def test_garbled_input_is_a_clear_answer_not_a_500(self, editor_client, story):
        entry = publishing.add_live_entry(story, by=None, text="Original")
        url = live_admin_url(story)
        assert editor_client.get(f"{url}?edit=abc", headers=PANEL).status_code == 404
        pin = {"live": "pin", "entry": "abc"}
        assert editor_client.post(url, pin, headers=PANEL).status_code == 404
        prefix = f"entry-{entry.pk}"
        response = editor_client.post(
            url,
            {
                "live": "edit",
                "entry": entry.pk,
                f"{prefix}-text": "Mine",
                f"{prefix}-seen": "2026-13-45T99:00:00",
            },
            headers=PANEL,
        )
        assert response.status_code == 400
        assert "out of date" in response.content.decode()
        entry.refresh_from_db()
        assert entry.text == "<p>Original</p>"


class TestPermissions:
    def test_a_reporter_may_not_touch_their_published_story(self, client):
        user = make_user("Reporter")
        story = make_article(created_by=user)  # published by an editor
        reporter = login(client, user)
        response = reporter.post(live_admin_url(story), add_data(), headers=PANEL)
        assert response.status_code == 403
        assert reporter.get(live_admin_url(story), headers=PANEL).status_code == 403
        assert not LiveEntry.objects.exists()
        assert (
            'id="live-updates"' not in reporter.get(change_url(story)).content.decode()
        )

    def test_a_reporter_may_on_their_own_draft_not_on_anothers(self, client):
        user = make_user("Reporter")
        own = make_article(status=Article.Status.DRAFT, created_by=user)
        theirs = make_article(status=Article.Status.DRAFT, created_by=make_user())
        reporter = login(client, user)
        mine = reporter.post(live_admin_url(own), add_data(), headers=PANEL)
        assert mine.status_code == 200
        other = reporter.post(live_admin_url(theirs), add_data(), headers=PANEL)
        assert other.status_code == 404
        assert list(LiveEntry.objects.values_list("article", flat=True)) == [own.pk]

    def test_readers_and_other_methods_are_refused(self, client, editor, story):
        response = client.post(live_admin_url(story), add_data())
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        editor_client = login(client, editor)
        assert editor_client.put(live_admin_url(story)).status_code == 405
        assert not LiveEntry.objects.exists()

    def test_csrf_is_checked(self, editor, story):
        strict = login(Client(enforce_csrf_checks=True), editor)
        response = strict.post(live_admin_url(story), add_data(), headers=PANEL)
        assert response.status_code == 403
        assert not LiveEntry.objects.exists()
