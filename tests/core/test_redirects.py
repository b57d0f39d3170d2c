import unicodedata
from datetime import timedelta
from urllib.parse import quote, unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.encoding import uri_to_iri

from articles import publishing
from articles.models import Article, ArticleRedirect
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new


class TestOldAddresses:
    def test_slug_change_keeps_the_old_url_answering(self, client):
        article = make_article(slug="first-title")
        old = article.get_absolute_url()
        article.slug = "better-title"
        publishing.update(article, by=None)
        assert_moved(client, old, article.get_absolute_url())
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_date_change_keeps_the_old_url_answering(self, client):
        article = make_article(
            slug="dated", published_at=timezone.now() - timedelta(days=40)
        )
        old = article.get_absolute_url()
        article.published_at = timezone.now() - timedelta(days=2)
        publishing.update(article, by=None)
        assert old != article.get_absolute_url()
        assert_moved(client, old, article.get_absolute_url())

    def test_chains_are_collapsed(self, client):
        article = make_article(slug="one")
        first = article.get_absolute_url()
        article.slug = "two"
        publishing.update(article, by=None)
        second = article.get_absolute_url()
        article.slug = "three"
        publishing.update(article, by=None)
        for old in (first, second):
            assert_moved(client, old, article.get_absolute_url())

    def test_moving_back_to_an_old_address_serves_the_article(self, client):
        article = make_article(slug="back")
        article.slug = "away"
        publishing.update(article, by=None)
        article.slug = "back"
        publishing.update(article, by=None)
        assert client.get(article.get_absolute_url()).status_code == 200
        assert_moved(
            client,
            article.get_absolute_url().replace("/back/", "/away/"),
            article.get_absolute_url(),
        )

    def test_unicode_slugs(self, client):
        article = make_article(slug="zürich-vote")
        old = article.get_absolute_url()
        article.slug = "zürich-wählt"
        publishing.update(article, by=None)
        assert_moved(client, old, article.get_absolute_url())

    def test_drafts_leave_no_redirects(self):
        article = make_article(slug="draft-a", status=Article.Status.DRAFT)
        article.published_at = None
        Article.objects.filter(pk=article.pk).update(published_at=None)
        article.slug = "draft-b"
        publishing.update(article, by=None)
        assert not ArticleRedirect.objects.exists()

    def test_saving_other_fields_does_not_look_for_moves(self):
        article = make_article()
        article.deck = "New deck."
        with CaptureQueriesContext(connection) as ctx:
            article.save(update_fields=["deck"])
        lookups = [q["sql"] for q in ctx if '"slug"' in q["sql"]]
        assert not [sql for sql in lookups if sql.startswith("SELECT")]

    @pytest.mark.parametrize(
        "state", [Article.Status.DRAFT, Article.Status.REVIEW, "scheduled"]
    )
    def test_old_url_of_an_unpublished_article_is_a_plain_404(self, client, state):
        article = make_article(slug="was-live")
        old = article.get_absolute_url()
        article.slug = "now-hidden"
        if state == "scheduled":
            article.published_at = timezone.now() + timedelta(days=1)
        else:
            article.status = state
        publishing.update(article, by=None)
        response = client.get(old)
        assert response.status_code == 404
        assert client.get("/2020/1/1/never-existed/").content == response.content


class TestMethodsAndSlashes:
    @pytest.fixture
    def article(self):
        section = make_section(slug="world")
        return make_article(section=section, tags=["Harbour"])

    def urls(self, article):
        return [
            "/",
            article.get_absolute_url(),
            "/section/world/",
            "/tag/harbour/",
            f"/author/{article.bylines.first().author.slug}/",
            "/search/?q=story",
            "/feed/",
            "/feed/atom/",
            "/sitemap.xml",
            "/sitemap-articles.xml",
            "/news-sitemap.xml",
            "/robots.txt",
        ]

    def test_head_works_wherever_get_does(self, client, article):
        for url in self.urls(article):
            get = client.get(url)
            head = client.head(url)
            assert head.status_code == get.status_code == 200, url
            assert head.content == b"", url
            assert head["Content-Type"] == get["Content-Type"], url

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_other_methods_are_405(self, client, article, method):
        for url in self.urls(article):
            assert getattr(client, method)(url).status_code == 405, url

    def test_missing_trailing_slash_redirects_on_site(self, client, article):
        response = client.get("/section/world")
        assert response.status_code == 301
        assert response["Location"] == "/section/world/"

    @pytest.mark.parametrize(
        "url",
        [
            "//evil.example",
            "///evil.example",
            "/%2F%2Fevil.example",
            "/%2F%2Fevil.example/",
            "/\\evil.example",
            "/section/%2F%2Fevil.example",
        ],
    )
    def test_never_redirects_off_site(self, client, url):
        # PATH_INFO is set by hand: the test client would read "//host" as a host.
        response = client.get("/", PATH_INFO=unquote(url))
        assert response.status_code == 404, url
        assert not response.has_header("Location")

    def test_unicode_slug_forms_never_500(self, client):
        article = make_article(slug="zürich-vote")
        url = article.get_absolute_url()
        nfd = unicodedata.normalize("NFD", "zürich-vote")
        raw = uri_to_iri(url)
        assert client.get(url).status_code == 200
        assert client.get(raw).status_code == 200
        # Slugs are stored NFC; a decomposed spelling is another address.
        decomposed = quote(raw.replace("zürich-vote", nfd))
        assert client.get(decomposed).status_code == 404
