"""Reporters in the tag admin: their own material and what is public.

A tag used only on other people's unpublished articles is unknown to a
reporter: absent from the lists, searches and autocomplete pickers, and its
pages answer 404 as if it did not exist. Counts include only articles the
reporter may see.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Image, Tag

from .editorial import login, make_user
from .factories import jpeg_bytes, make_article, make_author

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
