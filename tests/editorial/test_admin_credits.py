"""Credit-only stories in the admin: wire copy an editor can fix and publish
without inventing an author, under the write path's one rule."""

import json

import pytest

from articles.models import Article, Author
from tests.editorial.test_admin import article_form
from tests.factories import make_author, make_section
from tests.ingest.test_import_articles import authors_of, run_import
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

RULE = "A published article needs at least one author (a writer), or a credit."


@pytest.fixture
def editor(client):
    return login(client, make_user("Editor"))


@pytest.fixture
def wire_story(tmp_path):
    """An agency story as the import leaves it: published, a credit, no author."""
    path = tmp_path / "ntb.json"
    path.write_text(
        json.dumps(
            {
                "uri": "urn:example:ntb:1",
                "by": "NTB",
                "headlines": [{"role": "main", "value": "Ferry traffic resmues"}],
                "bodies": [
                    {"role": "main", "contenttype": "text/html", "value": "<p>x</p>"}
                ],
                "versioncreated": "2024-05-01T10:00:00Z",
            }
        )
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED
    assert story.credit == "NTB" and authors_of(story) == []
    return story


def test_editor_fixes_a_typo_in_credit_only_wire_copy(editor, wire_story):
    page = editor.get(change_url(wire_story))
    assert page.status_code == 200
    assert 'name="credit"' in page.content.decode()

    response = editor.post(
        change_url(wire_story),
        change_data(wire_story, headline="Ferry traffic resumes", credit="NTB/Reuters"),
    )
    assert response.status_code == 302
    wire_story.refresh_from_db()
    assert wire_story.headline == "Ferry traffic resumes"
    assert wire_story.credit == "NTB/Reuters"
    assert wire_story.status == Article.Status.PUBLISHED
    assert authors_of(wire_story) == [] and not Author.objects.exists()


def test_clearing_the_only_credit_is_refused_with_the_rule(editor, wire_story):
    response = editor.post(change_url(wire_story), change_data(wire_story, credit="  "))
    assert response.status_code == 200
    assert RULE in response.content.decode()
    wire_story.refresh_from_db()
    assert wire_story.credit == "NTB"


def test_editor_publishes_a_new_story_with_only_a_credit(editor):
    response = editor.post(
        "/admin/articles/article/add/",
        article_form(make_section(), [], credit="Staff and agencies"),
    )
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED
    assert story.credit == "Staff and agencies" and authors_of(story) == []


def test_the_list_shows_people_and_credits(editor, wire_story):
    author = make_author(name="Jane Doe")
    editor.post(
        "/admin/articles/article/add/",
        article_form(make_section(), [author], credit="Reuters", slug="with-people"),
    )
    html = editor.get("/admin/articles/article/").content.decode()
    assert '<td class="field-byline">NTB</td>' in html
    assert '<td class="field-byline">Jane Doe, Reuters</td>' in html


def test_a_credit_change_is_in_the_history_and_restored(editor, wire_story):
    editor.post(change_url(wire_story), change_data(wire_story, credit="Reuters"))
    wire_story.refresh_from_db()
    assert wire_story.credit == "Reuters"
    latest, imported = wire_story.revisions.all()[:2]
    assert (imported.data["credit"], latest.data["credit"]) == ("NTB", "Reuters")
    revisions = f"/admin/articles/article/{wire_story.pk}/revisions/"
    history = editor.get(revisions)
    assert history.status_code == 200
    assert "Credit" in history.content.decode()

    restore = f"{revisions}{imported.number}/restore/"
    assert editor.post(restore).status_code == 302
    wire_story.refresh_from_db()
    assert wire_story.credit == "NTB" and authors_of(wire_story) == []
    assert wire_story.status == Article.Status.PUBLISHED
