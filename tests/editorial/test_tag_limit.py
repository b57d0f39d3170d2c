"""An article carries at most MAX_TAGS_PER_ARTICLE tags, and the editor says so."""

import pytest

from articles.models import MAX_TAGS_PER_ARTICLE, Article, Tag
from tests.editorial.test_admin import article_form
from tests.factories import make_article, make_author, make_section
from tests.staff import change_data, change_url, login, make_user, quoted_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


def names(count):
    return [f"Topic {i}" for i in range(count)]


class TestArticleForm:
    def test_adding_too_many_tags_is_a_form_error(self, editor_client):
        data = article_form(
            make_section(), [make_author()], tags=quoted_tags(names(63))
        )
        response = editor_client.post("/admin/articles/article/add/", data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["tags"] == [
            "An article can have at most 50 tags; this has 63."
        ]
        assert not Article.objects.exists()
        assert not Tag.objects.exists()

    def test_changing_to_too_many_tags_keeps_the_old_ones(self, editor_client):
        article = make_article(tags=["Harbour"])
        data = change_data(article, tags=quoted_tags(names(51)))
        response = editor_client.post(change_url(article), data)
        assert response.status_code == 200
        assert "An article can have at most 50 tags; this has 51." in (
            response.content.decode()
        )
        assert list(article.tags.names()) == ["Harbour"]

    def test_variants_of_one_tag_count_once(self, editor_client):
        article = make_article()
        spelt_twice = names(MAX_TAGS_PER_ARTICLE) + [
            name.upper() for name in names(MAX_TAGS_PER_ARTICLE)
        ]
        data = change_data(article, tags=quoted_tags(spelt_twice))
        response = editor_client.post(change_url(article), data)
        assert response.status_code == 302
        assert article.tags.count() == MAX_TAGS_PER_ARTICLE

    def test_exactly_the_limit_is_saved(self, editor_client):
        article = make_article()
        data = change_data(article, tags=quoted_tags(names(MAX_TAGS_PER_ARTICLE)))
        assert editor_client.post(change_url(article), data).status_code == 302
        assert article.tags.count() == MAX_TAGS_PER_ARTICLE
