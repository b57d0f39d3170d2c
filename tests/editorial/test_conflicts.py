"""Conflict-safe editing: a save from a stale form never overwrites silently."""

import re

import pytest
from django.test import Client

from articles import publishing
from articles.models import Article, RelatedLink
from tests.factories import make_article, make_author
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


def rendered_value(response, name):
    """The value the page's hidden field `name` carries, as a browser sends it."""
    html = response.content.decode()
    tag = re.search(rf'<input type="hidden" name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def test_saving_again_after_a_conflict_over_the_byline_keeps_your_version(article):
    """The other editor's save rewrote the byline rows the stale form names;
    the documented overwrite still goes through, with the second editor's
    byline and text."""
    first_author = article.byline_authors[0]
    a, b = editor(), editor()
    form_b = change_data(article, deck="Deck by B")
    form_a = change_data(
        article,
        headline="By A",
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": make_author(name="Ben Kell").pk,
            "bylines-1-position": "1",
        },
    )
    assert a.post(change_url(article), form_a).status_code == 302

    first = b.post(change_url(article), form_b)
    assert first.status_code == 200
    assert "Someone else saved this article" in first.content.decode()
    # The page's hidden fields go back as the page shows them.
    for name in ("base_version", "bylines-0-id"):
        form_b[name] = rendered_value(first, name)
    second = b.post(change_url(article), form_b)

    assert second.status_code == 302
    article.refresh_from_db()
    assert article.deck == "Deck by B"
    assert article.headline == "Flood defences fail"
    assert [a.name for a in article.byline_authors] == [first_author.name]
    assert article.revisions.filter(data__headline="By A").exists()


def related_rows(article):
    rows = list(article.related_links.order_by("kind", "position"))
    data = {
        "related_links-TOTAL_FORMS": str(len(rows)),
        "related_links-INITIAL_FORMS": str(len(rows)),
    }
    for i, link in enumerate(rows):
        data |= {
            f"related_links-{i}-id": link.pk,
            f"related_links-{i}-article": article.pk,
            f"related_links-{i}-target": link.target_id,
            f"related_links-{i}-kind": link.kind,
            f"related_links-{i}-position": link.position,
        }
    return data


def test_a_form_opened_before_the_related_links_were_recomputed_saves(article):
    """Computed links are replaced (new rows) on every save; a form showing
    the old rows is not stuck on an error no one can see."""
    neighbour = make_article(headline="Flood defences elsewhere")
    pinned = make_article(headline="The 1953 flood")
    RelatedLink.objects.create(
        article=article, target=neighbour, kind=RelatedLink.Kind.COMPUTED, score=1
    )
    link = RelatedLink.objects.create(
        article=article, target=pinned, kind=RelatedLink.Kind.PINNED, position=0
    )
    form = change_data(article, headline="Edited", **related_rows(article))
    # Meanwhile the links are recomputed, and someone removes the pin.
    RelatedLink.objects.filter(kind=RelatedLink.Kind.COMPUTED).delete()
    RelatedLink.objects.create(
        article=article, target=neighbour, kind=RelatedLink.Kind.COMPUTED, score=2
    )
    link.delete()

    response = editor().post(change_url(article), form)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Edited"
    # The editor's pin, which their form still showed, is kept.
    assert article.related_links.filter(
        target=pinned, kind=RelatedLink.Kind.PINNED
    ).exists()


def test_an_error_on_a_hidden_field_is_shown(article):
    form = change_data(article, base_version="not a number")
    response = editor().post(change_url(article), form)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index("newsroom-error-summary") :]
    assert "Version: Enter a whole number." in summary
