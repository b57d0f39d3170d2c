"""What the body editor's Embed and Picture buttons ask the server."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image, PendingWork
from tests.factories import jpeg_bytes, make_article
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db

EMBED = "/admin/articles/article/body/embed/"
PICTURES = "/admin/articles/article/body/pictures/"


def make_image(alt, **fields):
    return Image.objects.create(
        file=SimpleUploadedFile(f"{alt}.jpg", jpeg_bytes((80, 45))), alt=alt, **fields
    )


def jpeg(name="pier.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes((60, 40)), content_type="image/jpeg")


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


def test_the_editor_is_told_where_to_ask(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    config = response.context["adminform"].form.fields["body"].widget.get_config()
    assert config["extensions"]["Embed"] == {"previewUrl": EMBED}
    assert config["extensions"]["Picture"] == {"libraryUrl": PICTURES}
    assert config["js_modules"] == ["/static/admin/newsroom/body-media.js"]


class TestEmbedPreview:
    def test_names_the_provider_of_a_pasted_url(self, editor_client):
        response = editor_client.get(EMBED, {"url": "https://youtu.be/dQw4w9WgXcQ"})
        assert response.status_code == 200
        assert response.json() == {
            "provider": "youtube",
            "name": "YouTube",
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "player": True,
        }

    def test_a_bundled_provider_has_no_player(self, editor_client):
        url = "https://www.flickr.com/photos/bees/2341623661/"
        response = editor_client.get(EMBED, {"url": url})
        assert response.json()["player"] is False

    def test_an_unknown_url_is_no_provider(self, editor_client):
        for url in ("https://example.org/story", "not a url", ""):
            response = editor_client.get(EMBED, {"url": url})
            assert response.status_code == 200
            assert response.json() == {"provider": None}

    def test_readers_are_sent_to_log_in(self, client):
        response = client.get(EMBED, {"url": "https://youtu.be/dQw4w9WgXcQ"})
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


class TestLibrary:
    def test_lists_the_newest_matching_pictures(
        self, editor_client, django_assert_num_queries
    ):
        quay = make_image("The quay", caption="Boats at six", credit="Ada Marsh")
        make_image("A cat")
        # Session, user, permissions (2), then the pictures, however many match.
        with django_assert_num_queries(5):
            response = editor_client.get(PICTURES, {"q": "marsh"})
        for n in range(10):
            make_image(f"Marsh {n}")
        with django_assert_num_queries(5):
            assert (
                len(editor_client.get(PICTURES, {"q": "marsh"}).json()["results"]) == 11
            )
        assert response.status_code == 200
        assert response.json() == {
            "results": [
                {
                    "id": quay.pk,
                    "src": quay.file.url,
                    "alt": "The quay",
                    "caption": "Boats at six",
                    "credit": "Ada Marsh",
                    "width": 80,
                    "height": 45,
                }
            ]
        }

    def test_a_reporter_sees_only_what_the_picture_admin_shows_them(self, client):
        reporter = make_user("Reporter")
        public = make_image("On a live story")
        make_article(hero_image=public)
        make_image("Someone else's upload")
        login(client, reporter)
        names = [p["alt"] for p in client.get(PICTURES).json()["results"]]
        assert names == ["On a live story"]


class TestUpload:
    def test_stores_a_described_picture(self, client):
        reporter = make_user("Reporter")
        login(client, reporter)
        response = client.post(
            PICTURES,
            {"file": jpeg(), "alt": "The pier", "caption": "New.", "credit": "Ben"},
        )
        assert response.status_code == 201
        image = Image.objects.get()
        assert response.json() == {
            "id": image.pk,
            "src": image.file.url,
            "alt": "The pier",
            "caption": "New.",
            "credit": "Ben",
            "width": 60,
            "height": 40,
        }
        assert LogEntry.objects.filter(
            user=reporter, action_flag=ADDITION, object_id=str(image.pk)
        ).exists()
        assert PendingWork.objects.filter(image=image).count() == 1
        # Their own upload is in their library from now on.
        names = [p["alt"] for p in client.get(PICTURES).json()["results"]]
        assert names == ["The pier"]

    def test_alt_text_is_required(self, editor_client):
        response = editor_client.post(PICTURES, {"file": jpeg(), "alt": "  "})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["alt"]
        assert "This field is required." in response.json()["errors"]["alt"]
        assert not Image.objects.exists()

    def test_a_file_that_is_no_picture_is_refused(self, editor_client):
        fake = SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg")
        response = editor_client.post(PICTURES, {"file": fake, "alt": "x"})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["file"]
        assert not Image.objects.exists()

    def test_staff_without_the_permission_may_not(self, client):
        login(client, make_user())
        response = client.post(PICTURES, {"file": jpeg(), "alt": "The pier"})
        assert response.status_code == 403
        assert client.get(PICTURES).status_code == 403
        assert not Image.objects.exists()
