"""Shareable preview links: signed, expiring, revocable, never cached, noindex."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.editorial import previews
from articles.editorial.models import PreviewLink
from tests.factories import make_article
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_article(headline="Embargoed budget", status="draft", published_at=None)


def test_an_editor_creates_a_link_from_the_article_page(client, draft):
    login(client, make_user("Editor"))
    url = f"/admin/articles/article/{draft.pk}/preview-links/"
    response = client.post(url, follow=True)
    link = PreviewLink.objects.get()
    assert link.article == draft
    assert timedelta(hours=47) < link.expires_at - timezone.now() <= timedelta(hours=48)
    html = response.content.decode()
    path = previews.link_path(link)
    assert path in html  # shown in the message and the links panel


def test_the_link_shows_the_draft_to_anyone_marked_as_a_preview(client, draft):
    link = previews.create_link(draft)
    response = client.get(previews.link_path(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Embargoed budget" in html
    assert "Preview — not published." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    # The draft itself stays hidden at its public address.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_expired_link_stops_working(client, draft):
    link = previews.create_link(draft, lifetime=timedelta(hours=-1))
    response = client.get(previews.link_path(link))
    assert response.status_code == 410
    assert "Embargoed budget" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_revoked_link_stops_working(client, draft):
    link = previews.create_link(draft)
    login(client, make_user("Editor"))
    client.post(
        f"/admin/articles/article/{draft.pk}/preview-links/", {"revoke": link.pk}
    )
    client.logout()
    link.refresh_from_db()
    assert link.revoked_at is not None
    response = client.get(previews.link_path(link))
    assert response.status_code == 410
    assert "Embargoed budget" not in response.content.decode()


@pytest.mark.parametrize("tamper", ["token-only", "forged", "other-signature"])
def test_forged_links_are_not_found(client, draft, tamper):
    link = previews.create_link(draft)
    signed = previews.link_path(link).rstrip("/").rsplit("/", 1)[1]
    value = {
        "token-only": link.token,
        "forged": "a" * 30 + ":" + "b" * 20,
        "other-signature": re.sub(r":.*$", ":" + "x" * 27, signed),
    }[tamper]
    assert client.get(f"/preview/shared/{value}/").status_code == 404


def test_reporters_cannot_make_links_for_other_peoples_drafts(client, draft):
    login(client, make_user("Reporter"))
    response = client.post(f"/admin/articles/article/{draft.pk}/preview-links/")
    assert response.status_code == 404
    assert not PreviewLink.objects.exists()


def test_staff_preview_is_for_staff_who_may_see_the_article(client, draft):
    assert client.get(f"/preview/{draft.pk}/").status_code == 302  # to login
    login(client, make_user("Editor"))
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
