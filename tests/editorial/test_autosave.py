"""Autosave: a copy of the article form per user and article, offered back,
never written to the article, never standing in for a newer save."""

import pytest
from django.test import Client

from articles import publishing
from articles.editorial.models import Autosave
from articles.models import Article, Revision
from tests.factories import make_article, make_author, make_section
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

TYPED = "<p>Typed on the train, never saved.</p>"


def autosave_url(article=None):
    if article is None:
        return "/admin/articles/article/autosave/"
    return f"/admin/articles/article/{article.pk}/autosave/"


@pytest.fixture
def editor():
    return make_user("Editor")


@pytest.fixture
def editor_client(client, editor):
    return login(client, editor)


def test_the_copy_is_kept_offered_restored_and_gone_once_saved(editor_client):
    article = make_article(status="draft", published_at=None)
    response = editor_client.post(
        autosave_url(article), change_data(article, body=TYPED)
    )
    assert response.status_code == 204

    page = editor_client.get(change_url(article)).content.decode()
    copy = Autosave.objects.get(article=article)
    assert "You have unsaved changes from" in page
    assert f"{copy.saved_at:%H:%M}" in page
    assert "Typed on the train" not in page  # offered, not imposed

    restored = editor_client.get(change_url(article) + "?autosave=restore")
    html = restored.content.decode()
    assert restored.status_code == 200
    assert "are in the form below. Save to keep them." in html
    assert "Typed on the train, never saved." in html
    assert restored.context["adminform"].form.initial["body"] == TYPED

    saved = editor_client.post(change_url(article), change_data(article, body=TYPED))
    assert saved.status_code == 302
    article.refresh_from_db()
    assert "Typed on the train" in article.body
    assert not Autosave.objects.exists()
    assert (
        "unsaved changes" not in editor_client.get(change_url(article)).content.decode()
    )


def test_an_autosave_never_writes_or_publishes_the_article(client):
    reporter = make_user("Reporter")
    article = make_article(
        status="draft", published_at=None, created_by=reporter, headline="Draft"
    )
    before = Article.objects.values().get(pk=article.pk)
    revisions = Revision.objects.count()
    response = login(client, reporter).post(
        autosave_url(article),
        change_data(article, headline="Now live?", status="published", body=TYPED),
    )
    assert response.status_code == 204
    assert Article.objects.values().get(pk=article.pk) == before
    assert Revision.objects.count() == revisions
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_copy_older_than_the_last_real_save_is_not_offered(editor_client):
    article = make_article(status="draft", published_at=None)
    opened_at = change_data(article, body=TYPED)
    assert editor_client.post(autosave_url(article), opened_at).status_code == 204
    # A colleague saves after the copy was made.
    publishing.update(article, by=make_user("Editor"), note="")
    page = editor_client.get(change_url(article)).content.decode()
    assert "unsaved changes" not in page
    restored = editor_client.get(change_url(article) + "?autosave=restore")
    assert "Typed on the train" not in restored.content.decode()
    # And the form opened before that save can no longer keep a copy.
    response = editor_client.post(autosave_url(article), opened_at)
    assert response.status_code == 409
    assert "saved since this form was opened" in response.json()["error"]


def test_discard_deletes_the_copy(editor_client):
    article = make_article(status="draft", published_at=None)
    editor_client.post(autosave_url(article), change_data(article, body=TYPED))
    response = editor_client.post(
        autosave_url(article), change_data(article, discard="1")
    )
    assert response.status_code == 204
    assert not Autosave.objects.exists()
    assert (
        "unsaved changes" not in editor_client.get(change_url(article)).content.decode()
    )


def test_a_new_articles_form_is_kept_and_offered_too(editor_client):
    section = make_section()
    data = {"headline": "Storm hits the coast", "section": section.pk, "body": TYPED}
    assert editor_client.post(autosave_url(), data).status_code == 204
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert "You have unsaved changes from" in page
    restored = editor_client.get("/admin/articles/article/add/?autosave=restore")
    assert "Storm hits the coast</textarea>" in restored.content.decode()


def test_only_those_who_may_change_the_article_can_autosave_it(client):
    reporter = make_user("Reporter")
    someone_elses = make_article(status="draft", published_at=None)
    own_published = make_article(created_by=reporter)
    login(client, reporter)
    assert client.post(autosave_url(someone_elses), {"body": TYPED}).status_code == 404
    data = change_data(own_published, body=TYPED)
    assert client.post(autosave_url(own_published), data).status_code == 403
    assert client.get(autosave_url(own_published)).status_code == 405
    assert not Autosave.objects.exists()

    anonymous = Client().post(autosave_url(own_published), data)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert not Autosave.objects.exists()


def test_autosave_is_csrf_protected(editor):
    article = make_article(status="draft", published_at=None)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = change_data(article, body=TYPED)
    assert client.post(autosave_url(article), data).status_code == 403
    assert not Autosave.objects.exists()
    # The form's own token, as the page sends it.
    client.get(change_url(article))
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    assert client.post(autosave_url(article), data).status_code == 204
    assert "csrfmiddlewaretoken" not in Autosave.objects.get().data


def test_a_copy_too_large_is_refused_with_a_reason(editor_client, settings):
    settings.NEWSROOM_AUTOSAVE_MAX_BYTES = 5_000
    article = make_article(status="draft", published_at=None)
    body = "<p>" + "word " * 2_000 + "</p>"
    response = editor_client.post(
        autosave_url(article), change_data(article, body=body)
    )
    assert response.status_code == 413
    assert "Too large to autosave" in response.json()["error"]
    assert not Autosave.objects.exists()


def test_a_reporter_restoring_gets_only_their_own_form_fields(client):
    reporter = make_user("Reporter")
    author = make_author()
    article = make_article(
        status="draft", published_at=None, created_by=reporter, authors=[author]
    )
    login(client, reporter)
    data = change_data(
        article,
        body=TYPED,
        published_at_0="2030-01-01",
        published_at_1="09:00:00",
    )
    assert client.post(autosave_url(article), data).status_code == 204
    restored = client.get(change_url(article) + "?autosave=restore")
    form = restored.context["adminform"].form
    assert form.initial["body"] == TYPED
    assert "published_at" not in form.fields
