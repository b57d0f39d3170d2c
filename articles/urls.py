from django.urls import path, register_converter
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import api, corrections, feeds, live_views, views


class UnicodeSlugConverter:
    """Like `<slug:>` but also matches Unicode letters (Django's is ASCII only)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")


def feed(feed_class):
    return require_safe(cache_control(public=True)(feed_class()))


app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "<int:year>/<int:month>/<int:day>/<uslug:slug>/",
        views.article_detail,
        name="detail",
    ),
    path(
        "<int:year>/<int:month>/<int:day>/<uslug:slug>/live.json",
        live_views.live_updates,
        name="live",
    ),
    path("section/<uslug:slug>/", views.section_detail, name="section"),
    path("tag/<uslug:slug>/", views.tag_detail, name="tag"),
    path("author/<uslug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    path("feed/", feed(feeds.SiteFeed), name="feed"),
    path("feed/atom/", feed(feeds.SiteAtomFeed), name="feed_atom"),
    path("section/<uslug:slug>/feed/", feed(feeds.SectionFeed), name="section_feed"),
    path(
        "section/<uslug:slug>/feed/atom/",
        feed(feeds.SectionAtomFeed),
        name="section_feed_atom",
    ),
    path("tag/<uslug:slug>/feed/", feed(feeds.TagFeed), name="tag_feed"),
    path("tag/<uslug:slug>/feed/atom/", feed(feeds.TagAtomFeed), name="tag_feed_atom"),
    path("author/<uslug:slug>/feed/", feed(feeds.AuthorFeed), name="author_feed"),
    path(
        "author/<uslug:slug>/feed/atom/",
        feed(feeds.AuthorAtomFeed),
        name="author_feed_atom",
    ),
    path("api/articles/", api.article_list, name="api_articles"),
    path("api/articles/<int:pk>/", api.article_detail, name="api_article"),
    path("corrections/", corrections.corrections_list, name="corrections"),
]
