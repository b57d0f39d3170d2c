"""Conflict-safe editing: a save from a stale form never overwrites silently."""

import pytest
from django.test import Client

from articles import publishing
from articles.models import Article
from tests.factories import make_article
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = make_article(headline="Flood defences fail", deck="Water rose.")
    publishing.record_revision(article)
    return article


def editor():
    return login(Client(), make_user("Editor"))


def test_the_change_form_carries_the_version(article):
    html = editor().get(change_url(article)).content.decode()
    assert f'name="base_version" value="{article.version}"' in html


def test_a_stale_save_is_refused_with_what_changed_and_the_typed_text_kept(article):
    a, b = editor(), editor()
    form_a = change_data(article)  # both open the same version
    form_b = change_data(article)

    form_a["headline"] = "Flood defences fail in three towns"
    assert a.post(change_url(article), form_a).status_code == 302

    form_b["deck"] = "B's carefully written new deck."
    response = b.post(change_url(article), form_b)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this article while you were editing it" in html
    assert "Your changes have not been saved" in html
    assert "<ins>in three towns</ins>" in html.replace("<ins> ", " <ins>")
    # B's typed text is shown back, in the form.
    assert "B&#x27;s carefully written new deck." in html
    # A's text is intact.
    article.refresh_from_db()
    assert article.headline == "Flood defences fail in three towns"
    assert article.deck == "Water rose."


def test_saving_again_after_seeing_the_conflict_is_a_deliberate_overwrite(article):
    a, b = editor(), editor()
    form_b = change_data(article, deck="Deck by B")
    a.post(change_url(article), change_data(article, headline="By A"))
    first = b.post(change_url(article), form_b)
    refreshed = first.context["adminform"].form["base_version"].value()
    form_b["base_version"] = refreshed
    assert b.post(change_url(article), form_b).status_code == 302
    article.refresh_from_db()
    assert article.deck == "Deck by B"
    # A's version stays in the history.
    assert article.revisions.filter(data__headline="By A").exists()


def test_a_bulk_action_also_makes_an_open_form_stale(article):
    form = change_data(article, headline="Edited in a stale form")
    editor().post(
        "/admin/articles/article/",
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    response = editor().post(change_url(article), form)
    assert response.status_code == 200
    assert Article.objects.get().headline == "Flood defences fail"


def test_a_form_without_a_version_is_refused(article):
    form = change_data(article, headline="No version")
    del form["base_version"]
    response = editor().post(change_url(article), form)
    assert response.status_code == 200
    assert Article.objects.get().headline == "Flood defences fail"


def test_version_goes_up_by_one_on_each_save(article):
    client = editor()
    before = article.version
    client.post(change_url(article), change_data(article, headline="One"))
    article.refresh_from_db()
    assert article.version == before + 1
