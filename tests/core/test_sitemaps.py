from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root, element):
    return [node.findtext(f"{SM}loc") for node in root.iter(f"{SM}{element}")]


@pytest.fixture
def site():
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada", slug="ada")
    live = make_article(
        headline="Live story",
        section=section,
        authors=[author],
        tags=["Harbour"],
        published_at=timezone.now() - timedelta(hours=2),
    )
    make_article(
        headline="Old story",
        section=section,
        authors=[author],
        published_at=timezone.now() - timedelta(days=5),
    )
    quiet = make_section(name="Quiet", slug="quiet")
    make_article(section=quiet, tags=["Secret"], status=Article.Status.DRAFT)
    return live


def test_index_lists_every_sitemap_with_absolute_urls(client, site, settings):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{SM}sitemapindex"
    urls = locations(root, "sitemap")
    assert urls == [
        f"{settings.SITE_URL}/sitemap-{name}.xml"
        for name in ("articles", "sections", "tags", "authors")
    ]
    for node in root.iter(f"{SM}sitemap"):
        assert node.findtext(f"{SM}lastmod")


def test_section_sitemaps_list_only_public_things(client, site, settings):
    articles = locations(xml(client, "/sitemap-articles.xml"), "url")
    assert settings.SITE_URL + site.get_absolute_url() in articles
    assert len(articles) == 2
    sections = locations(xml(client, "/sitemap-sections.xml"), "url")
    assert sections == [f"{settings.SITE_URL}/section/world/"]
    tags = locations(xml(client, "/sitemap-tags.xml"), "url")
    assert tags == [f"{settings.SITE_URL}/tag/harbour/"]
    authors = locations(xml(client, "/sitemap-authors.xml"), "url")
    assert authors == [f"{settings.SITE_URL}/author/ada/"]


def test_article_lastmod_comes_from_updated_at(client, site):
    root = xml(client, "/sitemap-articles.xml")
    node = next(
        n
        for n in root.iter(f"{SM}url")
        if n.findtext(f"{SM}loc").endswith(site.get_absolute_url())
    )
    assert node.findtext(f"{SM}lastmod") == site.updated_at.strftime("%Y-%m-%d")


def test_article_sitemap_is_paginated(client, site, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    urls = locations(xml(client, "/sitemap.xml"), "sitemap")
    assert any(url.endswith("/sitemap-articles.xml?p=2") for url in urls)
    assert len(locations(xml(client, "/sitemap-articles.xml?p=2"), "url")) == 1


def test_news_sitemap_has_the_last_48_hours(client, site, settings):
    root = xml(client, "/news-sitemap.xml")
    assert root.tag == f"{SM}urlset"
    (url,) = root.iter(f"{SM}url")
    assert url.findtext(f"{SM}loc") == settings.SITE_URL + site.get_absolute_url()
    news = url.find(f"{NEWS}news")
    publication = news.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == settings.SITE_NAME
    assert publication.findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Live story"
    published = news.findtext(f"{NEWS}publication_date")
    assert published.startswith(site.published_at.strftime("%Y-%m-%dT"))


def test_news_sitemap_escapes_headlines(client):
    make_article(
        headline="Fish & chips <b>now</b>",
        published_at=timezone.now() - timedelta(hours=1),
    )
    root = xml(client, "/news-sitemap.xml")
    assert root.find(f".//{NEWS}title").text == "Fish & chips <b>now</b>"


def test_robots_txt_points_at_both_sitemaps(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert f"Sitemap: {settings.SITE_URL}/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
