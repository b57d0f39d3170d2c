"""The picture admin: describing a picture without uploading it again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Image
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(admin_client):
    admin_client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("up.jpg", jpeg_bytes((700, 400))), "alt": "Up"},
    )
    return Image.objects.get()


def test_alt_caption_and_credit_are_saved_without_a_new_upload(admin_client, picture):
    stored = picture.file.name
    response = admin_client.post(
        f"/admin/articles/image/{picture.pk}/change/",
        {"alt": "Council chamber", "caption": "The vote", "credit": "City Hall"},
    )
    assert response.status_code == 302
    picture.refresh_from_db()
    assert (picture.alt, picture.caption, picture.credit) == (
        "Council chamber",
        "The vote",
        "City Hall",
    )
    assert picture.file.name == stored
    assert (picture.width, picture.height) == (700, 400)


def test_a_replacement_that_is_not_a_picture_is_still_refused(admin_client, picture):
    response = admin_client.post(
        f"/admin/articles/image/{picture.pk}/change/",
        {"file": SimpleUploadedFile("x.jpg", b"<svg></svg>"), "alt": "Up"},
    )
    assert response.status_code == 200
    assert "This is not a JPEG, PNG, GIF or WebP image" in response.content.decode()
