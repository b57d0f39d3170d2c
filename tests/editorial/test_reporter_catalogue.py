"""Reporters in the tag and image admin: their own material and what is public.

A tag used only on other people's unpublished articles, or an image on nothing
but other people's unpublished articles, is unknown to a reporter: absent from
the lists, searches and autocomplete pickers, and its pages answer 404 as if
it did not exist. Counts include only articles the reporter may see.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article, Image, Tag
from tests.factories import jpeg_bytes, make_article, make_author
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

DRAFT = {"status": "draft", "published_at": None}


@pytest.fixture
def reporter():
    return make_user("Reporter")


@pytest.fixture
def colleague():
    return make_user("Reporter")


@pytest.fixture
def reporter_client(client, reporter):
    return login(client, reporter)


def make_image(alt, caption=""):
    return Image.objects.create(
        file=SimpleUploadedFile("photo.jpg", jpeg_bytes()), alt=alt, caption=caption
    )


def autocomplete(client, model_name, field_name, term=""):
    return client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )


def texts(response):
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


@pytest.fixture
def tags(reporter, colleague):
    """Tags on a colleague's draft and scheduled story, a live story, and own work."""
    make_article(tags=["Secret merger", "Harbour"], created_by=colleague, **DRAFT)
    make_article(
        tags=["Surprise visit"],
        created_by=colleague,
        published_at=timezone.now() + timedelta(days=1),
    )
    make_article(tags=["Harbour"], created_by=colleague)
    make_article(tags=["My beat"], created_by=reporter, **DRAFT)
    Tag.objects.create(name="Stray tag")
    return {tag.name: tag for tag in Tag.objects.all()}


class TestTags:
    def test_changelist_lists_public_and_own_tags_only(self, reporter_client, tags):
        response = reporter_client.get("/admin/articles/tag/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Harbour" in html and "My beat" in html
        for hidden in ("Secret merger", "Surprise visit", "Stray tag"):
            assert hidden not in html

    def test_search_finds_no_hidden_tag(self, reporter_client, tags):
        response = reporter_client.get("/admin/articles/tag/", {"q": "Se"})
        assert response.status_code == 200
        assert "Secret merger" not in response.content.decode()
        assert response.context["cl"].result_count == 0

    def test_counts_leave_out_other_peoples_unpublished_articles(
        self, reporter_client, tags
    ):
        response = reporter_client.get("/admin/articles/tag/")
        counts = {
            tag.name: tag.article_count for tag in response.context["cl"].result_list
        }
        assert counts == {"Harbour": 1, "My beat": 1}

    @pytest.mark.parametrize("model_name", ["articletag", "tagredirect"])
    def test_autocomplete_offers_public_and_own_tags_only(
        self, reporter_client, tags, model_name
    ):
        response = autocomplete(reporter_client, model_name, "tag")
        assert texts(response) == ["Harbour", "My beat"]
        response = autocomplete(reporter_client, model_name, "tag", term="Secret")
        assert texts(response) == []

    @pytest.mark.parametrize("page", ["change", "history", "delete"])
    def test_a_hidden_tags_pages_are_not_found(self, reporter_client, tags, page):
        for name in ("Secret merger", "Surprise visit", "Stray tag"):
            response = reporter_client.get(
                f"/admin/articles/tag/{tags[name].pk}/{page}/"
            )
            assert response.status_code == 404, name
            assert name not in response.content.decode()

    def test_a_public_tag_is_view_only(self, reporter_client, tags):
        url = f"/admin/articles/tag/{tags['Harbour'].pk}/change/"
        response = reporter_client.get(url)
        assert response.status_code == 200
        assert 'name="name"' not in response.content.decode()
        response = reporter_client.post(url, {"name": "Renamed", "slug": "renamed"})
        assert response.status_code == 403
        assert Tag.objects.filter(name="Harbour").exists()

    def test_an_editor_sees_every_tag_and_count(self, client, tags):
        login(client, make_user("Editor"))
        response = client.get("/admin/articles/tag/")
        counts = {
            tag.name: tag.article_count for tag in response.context["cl"].result_list
        }
        assert counts == {
            "Harbour": 2,
            "My beat": 1,
            "Secret merger": 1,
            "Stray tag": 0,
            "Surprise visit": 1,
        }
        response = client.get(f"/admin/articles/tag/{tags['Secret merger'].pk}/change/")
        assert response.status_code == 200


@pytest.fixture
def images(reporter, colleague):
    """Images on a colleague's draft, on live stories, on own work, and on none."""
    found = {
        "secret": make_image("Secret photo", caption="Embargoed caption"),
        "public": make_image("Public photo", caption="Harbour at dawn"),
        "own": make_image("Own photo"),
        "own_live": make_image("Own live photo"),
        "shared": make_image("Shared photo"),
        "stray": make_image("Stray photo", caption="Uploaded by someone"),
    }
    make_article(hero_image=found["secret"], created_by=colleague, **DRAFT)
    make_article(hero_image=found["public"], created_by=colleague)
    make_article(hero_image=found["public"], created_by=colleague, **DRAFT)
    make_article(hero_image=found["own"], created_by=reporter, **DRAFT)
    make_article(hero_image=found["own_live"], created_by=reporter)
    make_article(hero_image=found["shared"], created_by=reporter, **DRAFT)
    make_article(hero_image=found["shared"], created_by=colleague, **DRAFT)
    return found


VISIBLE_IMAGES = ["Own live photo", "Own photo", "Public photo", "Shared photo"]
HIDDEN_IMAGES = ["secret", "stray"]


def change_image(client, image, **fields):
    """POST the image's change form, replacing its picture too."""
    return client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {
            "file": SimpleUploadedFile("new.jpg", jpeg_bytes()),
            "alt": image.alt,
            "caption": image.caption,
            "credit": "",
            **fields,
        },
    )


class TestImages:
    def test_changelist_lists_public_and_own_images_only(self, reporter_client, images):
        response = reporter_client.get("/admin/articles/image/")
        assert response.status_code == 200
        listed = sorted(image.alt for image in response.context["cl"].result_list)
        assert listed == VISIBLE_IMAGES
        html = response.content.decode()
        assert "Secret photo" not in html and "Stray photo" not in html

    def test_search_does_not_find_a_hidden_caption(self, reporter_client, images):
        response = reporter_client.get("/admin/articles/image/", {"q": "Embargoed"})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0
        assert "Embargoed caption" not in response.content.decode()

    def test_hero_image_autocomplete_offers_public_and_own_images_only(
        self, reporter_client, images
    ):
        response = autocomplete(reporter_client, "article", "hero_image")
        assert texts(response) == VISIBLE_IMAGES
        response = autocomplete(reporter_client, "article", "hero_image", "Secret")
        assert texts(response) == []

    @pytest.mark.parametrize("name", HIDDEN_IMAGES)
    @pytest.mark.parametrize("page", ["change", "history", "delete"])
    def test_a_hidden_images_pages_are_not_found(
        self, reporter_client, images, name, page
    ):
        image = images[name]
        response = reporter_client.get(f"/admin/articles/image/{image.pk}/{page}/")
        assert response.status_code == 404
        assert image.caption not in response.content.decode()

    @pytest.mark.parametrize("name", HIDDEN_IMAGES)
    def test_a_hidden_image_cannot_be_changed(self, reporter_client, images, name):
        image = images[name]
        response = change_image(reporter_client, image, caption="Overwritten")
        assert response.status_code == 404
        image.refresh_from_db()
        assert image.caption != "Overwritten"

    @pytest.mark.parametrize("name", ["public", "shared"])
    def test_an_image_also_on_others_articles_is_view_only(
        self, reporter_client, images, name
    ):
        image = images[name]
        response = reporter_client.get(f"/admin/articles/image/{image.pk}/change/")
        assert response.status_code == 200
        html = response.content.decode()
        assert image.alt in html and 'name="alt"' not in html
        response = change_image(reporter_client, image, caption="Overwritten")
        assert response.status_code == 403
        image.refresh_from_db()
        assert image.caption != "Overwritten"

    @pytest.mark.parametrize("name", ["own", "own_live"])
    def test_an_image_only_on_own_articles_is_editable(
        self, reporter_client, images, name
    ):
        image = images[name]
        response = reporter_client.get(f"/admin/articles/image/{image.pk}/change/")
        assert response.status_code == 200
        assert 'name="alt"' in response.content.decode()
        response = change_image(reporter_client, image, caption="Better caption")
        assert response.status_code == 302
        image.refresh_from_db()
        assert image.caption == "Better caption"

    def test_a_byline_makes_the_colleagues_draft_and_its_image_own(
        self, reporter_client, reporter, images
    ):
        secret = images["secret"]
        draft = Article.objects.get(hero_image=secret)
        draft.bylines.create(author=make_author(user=reporter), position=1)
        response = reporter_client.get(f"/admin/articles/image/{secret.pk}/change/")
        assert response.status_code == 200
        assert 'name="alt"' in response.content.decode()

    def test_an_upload_is_the_uploaders_until_it_is_used(
        self, client, reporter_client, colleague, images
    ):
        response = reporter_client.post(
            "/admin/articles/image/add/",
            {
                "file": SimpleUploadedFile("new.jpg", jpeg_bytes()),
                "alt": "Fresh upload",
                "caption": "Not used yet",
            },
        )
        assert response.status_code == 302
        upload = Image.objects.get(alt="Fresh upload")
        response = autocomplete(reporter_client, "article", "hero_image", "Fresh")
        assert texts(response) == ["Fresh upload"]
        response = change_image(reporter_client, upload, caption="Fixed caption")
        assert response.status_code == 302

        login(client, colleague)
        assert texts(autocomplete(client, "article", "hero_image", "Fresh")) == []
        url = f"/admin/articles/image/{upload.pk}/change/"
        assert client.get(url).status_code == 404

    def test_a_hidden_image_cannot_be_put_on_own_article(
        self, reporter_client, reporter, images
    ):
        article = make_article(created_by=reporter, **DRAFT)
        response = reporter_client.post(
            change_url(article), change_data(article, hero_image=images["secret"].pk)
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        article.refresh_from_db()
        assert article.hero_image is None
        # A picture the reporter may see is accepted.
        response = reporter_client.post(
            change_url(article), change_data(article, hero_image=images["public"].pk)
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.hero_image == images["public"]

    def test_an_editor_sees_and_changes_every_image(self, client, images):
        login(client, make_user("Editor"))
        response = client.get("/admin/articles/image/")
        assert response.context["cl"].result_count == len(images)
        response = change_image(client, images["secret"], caption="Edited")
        assert response.status_code == 302


class TestCounts:
    def test_author_and_section_counts_leave_out_others_unpublished_articles(
        self, reporter_client, reporter, colleague
    ):
        author = make_author(name="Ada Counted")
        live = make_article(authors=[author], created_by=colleague)
        make_article(
            authors=[author], section=live.section, created_by=colleague, **DRAFT
        )
        make_article(
            authors=[author], section=live.section, created_by=reporter, **DRAFT
        )
        response = reporter_client.get("/admin/articles/author/", {"q": "Ada Counted"})
        assert [a.article_count for a in response.context["cl"].result_list] == [2]
        response = reporter_client.get(
            "/admin/articles/section/", {"q": live.section.name}
        )
        assert [s.article_count for s in response.context["cl"].result_list] == [2]
