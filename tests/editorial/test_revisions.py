"""Revisions: every save is kept; diffs are readable and escaped; restore adds."""

import pytest

from articles import publishing
from articles.editorial import revisions
from articles.models import Article, Revision
from tests.editorial.test_admin import article_form
from tests.factories import make_article, make_author, make_section
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


def test_every_admin_save_keeps_a_revision_with_who_and_what(editor_client):
    first, second = make_author(name="Ada"), make_author(name="Ben")
    editor_client.post(
        "/admin/articles/article/add/",
        article_form(make_section(name="City"), [second, first], status="draft"),
    )
    article = Article.objects.get()
    editor_client.post(
        change_url(article), change_data(article, headline="Mayor quits after audit")
    )
    history = list(article.revisions.all())
    assert [r.number for r in history] == [2, 1]
    latest, created = history
    assert latest.created_by.username.startswith("editor")
    assert latest.data["headline"] == "Mayor quits after audit"
    assert created.data["headline"] == "Mayor resigns after audit"
    assert [a["name"] for a in created.data["authors"]] == ["Ben", "Ada"]
    assert created.data["tags"] == ["Audit", "City Hall", "Mayor"]
    assert created.data["section"]["name"] == "City"
    assert created.data["status"] == "draft"
    assert "<h2>What happens next</h2>" in created.data["body"]


def test_bulk_actions_keep_revisions_too(editor_client):
    article = make_article(status="draft", published_at=None)
    editor_client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    revision = Revision.objects.get(article=article)
    assert revision.data["status"] == "published"
    assert revision.note == "Published from the list"


def test_history_page_lists_revisions_with_what_changed(editor_client):
    article = make_article(headline="Old headline")
    publishing.record_revision(article)
    editor_client.post(change_url(article), change_data(article, headline="New"))
    html = editor_client.get(
        f"/admin/articles/article/{article.pk}/revisions/"
    ).content.decode()
    assert "Headline" in html and "(current)" in html
    assert f"/admin/articles/article/{article.pk}/revisions/1/restore/" in html


def test_compare_shows_a_readable_escaped_diff(editor_client):
    article = make_article(
        headline="Council votes", body="<p>First para.</p><p>Second para.</p>"
    )
    publishing.record_revision(article)
    editor_client.post(
        change_url(article),
        change_data(
            article,
            headline="Council votes <script>alert(1)</script>",
            body="<p>First para.</p><p>Second paragraph, rewritten.</p>",
        ),
    )
    response = editor_client.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/",
        {"r": [1, 2]},
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<del>para.&lt;/p&gt;</del>" in html
    assert "<ins>paragraph," in html
    assert "First para." in html  # unchanged context is shown


def test_diff_covers_tags_and_author_order():
    old = {
        "tags": ["A", "B"],
        "authors": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Ben"}],
    }
    new = {
        "tags": ["A", "C"],
        "authors": [{"id": 2, "name": "Ben"}, {"id": 1, "name": "Ada"}],
    }
    labels = [label for label, _ in revisions.diff(old, new)]
    assert labels == ["Authors", "Tags"]


def test_restore_brings_back_an_old_revision_as_a_new_one(editor_client):
    ada, ben = make_author(name="Ada"), make_author(name="Ben")
    article = make_article(headline="Original", tags=["Floods"], authors=[ada, ben])
    publishing.record_revision(article)
    editor_client.post(
        change_url(article),
        change_data(article, headline="Rewritten", tags="Storms"),
    )
    assert Article.objects.get().headline == "Rewritten"

    url = f"/admin/articles/article/{article.pk}/revisions/1/restore/"
    confirm = editor_client.get(url).content.decode()
    assert "Rewritten" in confirm and "Original" in confirm
    response = editor_client.post(url)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Original"
    assert list(article.tags.names()) == ["Floods"]
    assert [a.name for a in article.byline_authors] == ["Ada", "Ben"]
    # Nothing is deleted: the rewritten version is still in the history.
    history = list(article.revisions.all())
    assert [r.number for r in history] == [3, 2, 1]
    assert history[1].data["headline"] == "Rewritten"
    assert history[0].note == "Restored from revision 1"


def test_restore_never_changes_the_publication_state(editor_client):
    article = make_article(status="draft", published_at=None)
    publishing.record_revision(article)
    article.status = Article.Status.PUBLISHED
    publishing.update(article, by=None)
    editor_client.post(f"/admin/articles/article/{article.pk}/revisions/1/restore/")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_a_reporter_sees_but_cannot_restore_a_published_own_article(client):
    reporter = make_user("Reporter")
    article = make_article(created_by=reporter)
    publishing.record_revision(article)
    login(client, reporter)
    base = f"/admin/articles/article/{article.pk}/revisions/"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}1/restore/").status_code == 403


def test_history_page_of_an_article_never_saved_in_the_admin(editor_client):
    # Imported and demo articles have no revisions until their first save.
    article = make_article(headline="Imported story")
    assert not article.revisions.exists()
    response = editor_client.get(f"/admin/articles/article/{article.pk}/revisions/")
    assert response.status_code == 200
    assert (
        "No revisions have been kept for this article yet" in response.content.decode()
    )


def test_history_page_with_one_revision_has_nothing_to_compare_it_with(editor_client):
    article = make_article(headline="First draft")
    publishing.record_revision(article)
    html = editor_client.get(
        f"/admin/articles/article/{article.pk}/revisions/"
    ).content.decode()
    assert "1 (current)" in html
    assert "/revisions/1/restore/" not in html
