"""Sitemaps for search engines, the Google News sitemap, and robots.txt.

`sitemap.xml` is an index of the article sitemap (10,000 addresses a page) and
the section, tag and author sitemaps; `news-sitemap.xml` lists what was
published in the last 48 hours with the `news:` extension. Only published
articles appear, and only sections, tags and authors that have one. Addresses
are built from settings.SITE_URL, never from the request's Host header.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import Article, Author, Section, Tag
from .structured_data import updated_time

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class SiteUrlSitemap(Sitemap):
    """Builds addresses from settings.SITE_URL."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return item.last_updated


class ArticleSitemap(SiteUrlSitemap):
    limit = 10_000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "updated_at", "public_updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        # Moves with a real update only: an import or a minor edit is none.
        return updated_time(item) or item.published_at


def with_published_articles(queryset, path):
    """Those of `queryset` with a published article, and their latest change."""
    live = Article.objects.published().values("pk")
    return (
        queryset.filter(**{f"{path}__in": live})
        .annotate(last_updated=Max(f"{path}__updated_at"))
        .order_by("pk")
    )


class SectionSitemap(SiteUrlSitemap):
    def items(self):
        return with_published_articles(Section.objects.all(), "articles")


class TagSitemap(SiteUrlSitemap):
    limit = 10_000

    def items(self):
        return with_published_articles(
            Tag.objects.all(), "article_items__content_object"
        )


class AuthorSitemap(SiteUrlSitemap):
    limit = 10_000

    def items(self):
        return with_published_articles(Author.objects.all(), "bylines__article")


class NewsSitemap(SiteUrlSitemap):
    """Google News: articles from the last 48 hours, at most 1,000."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only(
                "slug",
                "headline",
                "language",
                "published_at",
                "published_date_only",
                "updated_at",
                "public_updated_at",
            )
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return updated_time(item) or item.published_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


@require_safe
@cache_control(public=True)
@x_robots_tag
def sitemap_index(request):
    """Like django.contrib.sitemaps.views.index, with addresses from SITE_URL."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = settings.SITE_URL + reverse("sitemap", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{url}?p={page}", lastmod))
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
    ).render()


@require_safe
@cache_control(public=True)
def sitemap(request, section):
    return sitemap_view(request, SITEMAPS, section=section).render()


@require_safe
@cache_control(public=True)
def news_sitemap(request):
    return sitemap_view(
        request, {"news": NewsSitemap}, template_name="sitemaps/news.xml"
    ).render()


@require_safe
@cache_control(public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap-index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('news-sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
