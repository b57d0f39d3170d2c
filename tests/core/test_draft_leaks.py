"""The draft-leak matrix: hidden articles never reach a public surface.

A draft, an article in review, a scheduled one and a withdrawn one share a
section, an author, a tag and a search word with one live article. Each of
them was live once under an older slug (so an old-address redirect exists),
and related links were computed while they were live. None of them may show
on any page, feed, sitemap, search result or count, related list, or in the
API; their own addresses answer like addresses that never existed (404), and
a withdrawn article answers 410.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Article, ArticleRedirect
from articles.related import refresh_related
from tests.core.test_feeds import FEEDS  # the same section, tag and author slugs
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

HIDDEN = ["draft", "review", "scheduled", "withdrawn"]

SURFACES = [
    "/",
    "/section/world/",
    "/tag/harbour/",
    "/author/ada/",
    "/search/?q=harbourmaster",
    "/search/?q=story",
    *FEEDS,
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-sections.xml",
    "/sitemap-tags.xml",
    "/sitemap-authors.xml",
    "/news-sitemap.xml",
    "/api/articles/",
    "/api/articles/?section=world",
    "/api/articles/?tag=harbour",
    "/api/articles/?author=ada",
    "/api/articles/?since=2000-01-01",
]


# Surfaces that list sections, tags, authors or other sitemaps, not articles.
NOT_ARTICLE_LISTS = {
    "/sitemap.xml",
    "/sitemap-sections.xml",
    "/sitemap-tags.xml",
    "/sitemap-authors.xml",
}


@pytest.fixture
def newsroom():
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada")
    now = timezone.now()

    def story(name, **fields):
        return make_article(
            headline=f"{name.title()} story",
            slug=f"{name}-first-slug",
            deck=f"The {name} deck.",
            body=f"<p>The harbourmaster speaks ({name}).</p>",
            section=section,
            authors=[author],
            tags=["Harbour", f"{name}-only"],
            published_at=now - timedelta(hours=2),
            **fields,
        )

    live = story("live")
    hidden = {name: story(name) for name in HIDDEN}
    for article in [live, *hidden.values()]:
        refresh_related(article)
    old_urls = {name: article.get_absolute_url() for name, article in hidden.items()}
    changes = {
        "draft": {"status": Article.Status.DRAFT},
        "review": {"status": Article.Status.REVIEW},
        "scheduled": {"published_at": now + timedelta(hours=3)},
        "withdrawn": {
            "status": Article.Status.WITHDRAWN,
            "withdrawn_reason": "Legal reasons.",
        },
    }
    for name, article in hidden.items():
        article.slug = name
        for field, value in changes[name].items():
            setattr(article, field, value)
        publishing.update(article, by=None)
    assert ArticleRedirect.objects.count() == len(HIDDEN)
    return live, hidden, old_urls


def leaks(text, hidden):
    found = []
    for name, article in hidden.items():
        for marker in (
            article.headline,
            f"The {name} deck",
            f"/{name}/",
            f"{name}-first-slug",
            f"{name}-only",
            f'urn:newsroom:article:{article.pk}"',
        ):
            if marker in text:
                found.append(f"{name}: {marker}")
    return found


@pytest.mark.parametrize("url", SURFACES)
def test_no_surface_shows_hidden_articles(client, newsroom, url):
    live, hidden, _ = newsroom
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert not leaks(text, hidden)
    if url not in NOT_ARTICLE_LISTS:
        assert live.slug in text, "the live article is missing"


def test_search_counts_only_live_articles(client, newsroom):
    html = client.get("/search/?q=harbourmaster").content.decode()
    assert "1 result for" in html
    data = client.get("/api/articles/?tag=harbour").json()
    assert data["count"] == 1


def test_related_links_show_only_live_articles(client, newsroom):
    live, hidden, _ = newsroom
    response = client.get(live.get_absolute_url())
    assert response.status_code == 200
    assert not leaks(response.content.decode(), hidden)


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_articles_own_addresses(client, newsroom, name):
    _, hidden, old_urls = newsroom
    article = hidden[name]
    unknown = client.get("/2020/1/1/never-existed/")
    assert unknown.status_code == 404
    response = client.get(article.get_absolute_url())
    if name == "withdrawn":
        assert response.status_code == 410
        assert "Legal reasons." in response.content.decode()
    else:
        assert response.status_code == 404
        assert response.content == unknown.content
    old = client.get(old_urls[name])
    assert old.status_code == 404 and old.content == unknown.content
    api = client.get(f"/api/articles/{article.pk}/")
    assert api.status_code == 404
    assert api.content == client.get("/api/articles/987654321/").content


@pytest.mark.parametrize("name", HIDDEN)
def test_tags_used_only_by_hidden_articles_do_not_exist(client, newsroom, name):
    for url in (f"/tag/{name}-only/", f"/tag/{name}-only/feed/"):
        assert client.get(url).status_code == 404, url
    assert f"{name}-only" not in client.get("/sitemap-tags.xml").content.decode()


def test_an_editors_visit_does_not_leak_through_the_cache(
    admin_client, client, newsroom
):
    _, hidden, _ = newsroom
    for article in hidden.values():
        assert admin_client.get(f"/preview/{article.pk}/").status_code == 200
        admin_client.get(article.get_absolute_url())
    for url in ["/", "/section/world/", "/feed/"]:
        admin_client.get(url)
    for name, article in hidden.items():
        expected = 410 if name == "withdrawn" else 404
        assert client.get(article.get_absolute_url()).status_code == expected
    for url in ["/", "/section/world/", "/feed/"]:
        assert not leaks(client.get(url).content.decode(), hidden), url


def test_scheduled_article_is_everywhere_once_its_time_comes(client, newsroom):
    _, hidden, _ = newsroom
    scheduled = hidden["scheduled"]
    for url in SURFACES:
        client.get(url)  # fill the caches
    scheduled.published_at = timezone.now() - timedelta(seconds=1)
    publishing.update(scheduled, by=None)
    for url in SURFACES:
        if url not in NOT_ARTICLE_LISTS:
            assert "/scheduled/" in client.get(url).content.decode(), url
