"""The byline rows' role and suffix, and the dateline, in the article editor."""

import re

import pytest

from articles import publishing
from articles.editorial.revisions import as_text, changed_fields
from articles.models import Byline
from tests.factories import make_article, make_author
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    return login(client, make_user("Editor"))


def test_the_byline_rows_have_role_and_suffix_columns(editor):
    article = make_article()
    html = editor.get(change_url(article)).content.decode()
    assert 'name="bylines-0-role"' in html
    assert 'name="bylines-0-suffix"' in html
    assert re.search(r'<option value="writer" selected>Writer</option>', html)
    for name in ("dateline_place", "dateline_date", "dateline_source"):
        assert f'name="{name}"' in html


def test_an_editor_adds_a_photographer_and_a_dateline(editor):
    article = make_article(authors=[make_author(name="Ann Lee")])
    photographer = make_author(name="Di Fox")
    data = change_data(
        article,
        dateline_place="KYIV, Ukraine",
        **{
            "bylines-0-suffix": "with The Associated Press",
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": photographer.pk,
            "bylines-1-position": "1",
            "bylines-1-role": "photographer",
            "bylines-1-suffix": "",
        },
    )
    response = editor.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.dateline_place == "KYIV, Ukraine"
    assert list(article.bylines.values_list("author__name", "role", "suffix")) == [
        ("Ann Lee", "writer", "with The Associated Press"),
        ("Di Fox", "photographer", ""),
    ]
    page = editor.get(article.get_absolute_url()).content.decode()
    assert "Photographs by" in page
    assert '"story-dateline">KYIV, Ukraine —</span>' in page


def test_a_photographer_alone_cannot_publish_without_a_credit(editor):
    article = make_article(authors=[])
    publishing.set_bylines(
        article, [publishing.BylineRow(make_author(), Byline.Role.PHOTOGRAPHER)]
    )
    response = editor.post(change_url(article), change_data(article, credit=""))
    assert response.status_code == 200
    assert "needs at least one author (a writer)" in response.content.decode()
    response = editor.post(change_url(article), change_data(article, credit="AP"))
    assert response.status_code == 302


def test_a_row_posted_without_a_role_is_a_writers(editor):
    article = make_article(authors=[make_author()])
    data = change_data(article)
    del data["bylines-0-role"]
    assert editor.post(change_url(article), data).status_code == 302
    assert article.bylines.get().role == Byline.Role.WRITER


def test_the_history_tells_a_role_or_a_dateline_changed():
    article = make_article(authors=[])
    ann, di = make_author(name="Ann Lee"), make_author(name="Di Fox")
    publishing.update(article, by=None, authors=[ann, di])
    first = article.revisions.get(number=article.version)
    publishing.update(
        article,
        by=None,
        dateline_place="CAIRO",
        authors=[ann, publishing.BylineRow(di, Byline.Role.PHOTOGRAPHER)],
    )
    second = article.revisions.get(number=article.version)
    assert changed_fields(first.data, second.data) == ["Authors", "Dateline"]
    assert as_text("authors", second.data["authors"]) == [
        "1. Ann Lee",
        "2. Di Fox (Photographs)",
    ]
