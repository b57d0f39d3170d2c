"""Corrections and updates: on the article, in JSON-LD, on a site-wide page."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import make_article
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


@pytest.fixture
def live():
    return make_article(
        headline="Council spends £2m",
        published_at=timezone.now() - timedelta(days=2),
    )


def with_correction(article, text, kind="correction", **overrides):
    return change_data(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": kind,
            "corrections-0-text": text,
            "corrections-0-article": article.pk,
        },
        **overrides,
    )


def test_an_editor_adds_a_correction_that_readers_see_everywhere(
    editor_client, client, live
):
    response = editor_client.post(
        change_url(live), with_correction(live, "The sum was £2m, not £20m.")
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by.username.startswith("editor")
    live.refresh_from_db()
    assert live.public_updated_at is not None
    assert live.public_updated_at >= correction.created_at - timedelta(seconds=1)

    client.logout()
    html = client.get(live.get_absolute_url()).content.decode()
    assert "The sum was £2m, not £20m." in html
    assert "Corrections and updates" in html
    assert "Updated <time" in html
    data = json_ld(html)
    assert data["dateModified"] == live.public_updated_at.isoformat()
    assert data["dateModified"] > data["datePublished"]

    page = client.get("/corrections/").content.decode()
    assert "The sum was £2m, not £20m." in page
    assert live.get_absolute_url() in page


def test_corrections_are_for_published_articles_only(editor_client):
    draft = make_article(status="draft", published_at=None)
    response = editor_client.post(change_url(draft), with_correction(draft, "Oops"))
    assert response.status_code == 200
    assert "not published" in response.content.decode()
    assert not Correction.objects.exists()


def test_the_corrections_page_leaves_out_unpublished_articles(client):
    hidden = make_article(headline="Pulled story", status="draft", published_at=None)
    Correction.objects.create(article=hidden, text="Secret fix")
    visible = make_article(headline="Live story")
    Correction.objects.create(article=visible, text="Public fix", kind="clarification")
    html = client.get("/corrections/").content.decode()
    assert "Public fix" in html and "Clarification" in html
    assert "Secret fix" not in html and "Pulled story" not in html


def test_a_minor_edit_does_not_show_readers_an_update(editor_client, client, live):
    editor_client.post(change_url(live), change_data(live, deck="Typo fixed."))
    live.refresh_from_db()
    assert live.deck == "Typo fixed."
    html = client.get(live.get_absolute_url()).content.decode()
    assert "Updated <time" not in html
    assert json_ld(html)["dateModified"] == json_ld(html)["datePublished"]


def test_an_edit_marked_as_an_update_shows_the_new_time(editor_client, client, live):
    editor_client.post(
        change_url(live),
        change_data(live, deck="New figures.", update_public_time="on"),
    )
    live.refresh_from_db()
    assert live.public_updated_at > live.published_at
    html = client.get(live.get_absolute_url()).content.decode()
    assert "Updated <time" in html


def test_the_update_box_is_offered_to_editors_on_change(editor_client, live):
    html = editor_client.get(change_url(live)).content.decode()
    assert 'name="update_public_time"' in html
    assert Article.objects.get().public_updated_at is None
