"""Author pages follow the visibility rule: public once the author has a live story.

An author whose only articles are drafts, in review, scheduled or withdrawn has
no public page, feed or sitemap entry: readers get the same 404 as for an
author that does not exist, so an embargoed byline is not revealed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

AUTHOR_URLS = [
    "/author/new-hire/",
    "/author/new-hire/feed/",
    "/author/new-hire/feed/atom/",
]

UNPUBLISHED = {
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "review": {"status": Article.Status.REVIEW, "published_at": None},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
    "withdrawn": {
        "status": Article.Status.WITHDRAWN,
        "withdrawn_reason": "Legal reasons.",
    },
}


@pytest.fixture
def new_hire():
    return make_author(
        name="Nora Newhire", slug="new-hire", bio="Joins the investigations desk."
    )


class TestAuthorWithNothingPublished:
    @pytest.mark.parametrize("state", UNPUBLISHED)
    @pytest.mark.parametrize("url", AUTHOR_URLS)
    def test_page_and_feeds_are_404(self, client, new_hire, state, url):
        make_article(
            headline="Embargoed scoop", authors=[new_hire], **UNPUBLISHED[state]
        )
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "Nora Newhire" not in html
        assert "Joins the investigations desk." not in html

    @pytest.mark.parametrize("url", AUTHOR_URLS)
    def test_an_author_without_any_article_is_404(self, client, new_hire, url):
        assert client.get(url).status_code == 404

    def test_absent_from_the_author_sitemap(self, client, new_hire):
        make_article(authors=[new_hire], status=Article.Status.DRAFT)
        make_article(authors=[make_author(slug="veteran")])
        xml = client.get("/sitemap-authors.xml").content.decode()
        assert "/author/veteran/" in xml
        assert "/author/new-hire/" not in xml

    def test_the_api_filter_finds_nothing(self, client, new_hire):
        make_article(headline="Embargoed scoop", authors=[new_hire], status="draft")
        data = client.get("/api/articles/", {"author": "new-hire"}).json()
        assert data["count"] == 0 and data["results"] == []


class TestAuthorWithALiveStory:
    @pytest.mark.parametrize("url", AUTHOR_URLS)
    def test_page_and_feeds_answer_once_a_story_is_live(self, client, new_hire, url):
        scheduled = make_article(
            headline="First story", authors=[new_hire], **UNPUBLISHED["scheduled"]
        )
        assert client.get(url).status_code == 404
        Article.objects.filter(pk=scheduled.pk).update(
            published_at=timezone.now() - timedelta(minutes=1)
        )
        response = client.get(url)
        assert response.status_code == 200
        assert "First story" in response.content.decode()

    def test_page_shows_only_the_live_story(self, client, new_hire):
        make_article(headline="First story", authors=[new_hire])
        make_article(headline="Embargoed scoop", authors=[new_hire], status="draft")
        response = client.get("/author/new-hire/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nora Newhire" in html and "Joins the investigations desk." in html
        assert "First story" in html and "Embargoed scoop" not in html

    def test_json_ld_and_byline_link_to_a_page_that_answers(
        self, client, new_hire, settings
    ):
        article = make_article(headline="First story", authors=[new_hire])
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'href="/author/new-hire/"' in html
        assert f'"url": "{settings.SITE_URL}/author/new-hire/"' in html
        assert client.get("/author/new-hire/").status_code == 200
