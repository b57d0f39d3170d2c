"""RSS 2.0 and Atom feeds: the whole site, a section, a tag, an author.

Each feed carries the latest published articles with their full HTML body
(`content:encoded` in RSS, `<content>` in Atom), every author in byline order
(the credit alone for agency copy, else as a contributor),
the tags as categories and the hero image as an enclosure and `media:content`.
Embeds are plain links in feeds (articles/embeds.py), and pictures in the body
are at absolute addresses.
Links are built from settings.SITE_URL, never from the request's Host header.
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    rfc3339_date,
)
from django.utils.html import escape, format_html, format_html_join, linebreaks

from . import bylines as byline_rules
from .embeds import as_links
from .models import Article, ArticleTag, Author, Byline, Section, Tag
from .structured_data import absolute_url

FEED_SIZE = 30
# A picture at a path on this site, in a body as the HTML policy writes it.
RELATIVE_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")(/(?!/)[^"]*)"')
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def feed_body(body):
    """The body for feed readers: embeds as links, pictures at absolute addresses."""
    return RELATIVE_SRC.sub(
        lambda m: f'{m[1]}{absolute_url(m[2])}"', as_links(body or "")
    )


def corrections_html(corrections):
    """The article's public notes, as the article page ends with them."""
    if not corrections:
        return ""
    notes = format_html_join(
        "",
        "<li><strong>{}</strong> ({}): {}</li>",
        (
            (c.get_kind_display(), f"{c.created_at:%Y-%m-%d}", linebreaks(c.text))
            for c in corrections
        ),
    )
    return format_html("<h2>Corrections and updates</h2><ul>{}</ul>", notes)


def add_media_content(handler, image):
    if not image:
        return
    attrs = {"url": image["url"], "type": image["type"], "medium": "image"}
    if image["width"]:
        attrs.update(width=str(image["width"]), height=str(image["height"]))
    handler.startElement("media:content", attrs)
    if image["alt"]:
        handler.addQuickElement("media:description", image["alt"])
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class NewsroomRssFeed(Rss201rev2Feed):
    def __init__(self, title, link, description, *args, **kwargs):
        # Readers treat RSS descriptions as HTML; ours hold plain-text names.
        super().__init__(title, link, escape(description), *args, **kwargs)

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:dcterms": DCTERMS_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["credit"]:
            handler.addQuickElement("dc:contributor", item["credit"])
        for name, _ in item["contributors"]:
            handler.addQuickElement("dc:contributor", name)
        if item["updateddate"]:
            # RSS has no updated time of its own; Dublin Core's says when the
            # item changed (a correction moves it, as Atom's <updated>).
            handler.addQuickElement(
                "dcterms:modified", rfc3339_date(item["updateddate"])
            )
        handler.addQuickElement("content:encoded", item["content_html"])
        add_media_content(handler, item["image"])


class NewsroomAtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in zip(item["authors"], item["author_urls"], strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item["credit"]:
            handler.startElement("contributor", {})
            handler.addQuickElement("name", item["credit"])
            handler.endElement("contributor")
        for name, url in item["contributors"]:
            handler.startElement("contributor", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("contributor")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        add_media_content(handler, item["image"])


class SiteFeed(Feed):
    """The latest articles of the whole site."""

    feed_type = NewsroomRssFeed
    url_name = "articles:feed"

    def get_object(self, request):
        return None

    def articles(self, obj):
        return Article.objects.published()

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return f"The latest stories from {settings.SITE_NAME}."

    def link(self, obj):
        return absolute_url(obj.get_absolute_url() if obj else reverse("articles:home"))

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name, args=[obj.slug] if obj else []))

    def feed_copyright(self, obj):
        return f"© {settings.SITE_NAME}"

    def items(self, obj):
        return (
            self.articles(obj)
            .select_related("section", "hero_image")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                Prefetch(
                    "tagged_items",
                    queryset=ArticleTag.objects.select_related("tag").order_by("pk"),
                ),
                "corrections",
            )[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Feed readers treat descriptions as HTML; the deck is plain text.
        return escape(item.deck) if item.deck else None

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A correction moves the public "Updated" time, not `updated_at`.
        times = (item.updated_at, item.published_at, item.public_updated_at)
        return max(t for t in times if t)

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]

    def item_enclosures(self, item):
        image = item.hero_image.feed_image() if item.hero_image else None
        if not image:
            return []
        return [Enclosure(image["url"], str(image["length"]), image["type"])]

    def item_extra_kwargs(self, item):
        bylines = list(item.bylines.all())
        authors = [byline.author for byline in byline_rules.writers(bylines)]
        names = [author.name for author in authors]
        urls = [absolute_url(author.get_absolute_url()) for author in authors]
        credit = item.credit
        if not names and credit:
            # Agency copy: the credit is its author ("NTB").
            names, urls, credit = [credit], [None], ""
        return {
            "authors": names,
            "author_urls": urls,
            # With people named, the agency or source they wrote for.
            "credit": credit,
            # The photographer, the translator: contributors, not creators.
            "contributors": [
                (b.author.name, absolute_url(b.author.get_absolute_url()))
                for b in byline_rules.contributors(bylines)
            ],
            "content_html": feed_body(
                byline_rules.with_dateline(item.body, item.dateline)
            )
            + corrections_html(item.corrections.all()),
            "image": item.hero_image.feed_image() if item.hero_image else None,
        }


class AtomMixin:
    feed_type = NewsroomAtomFeed

    def subtitle(self, obj):
        return self.description(obj)

    def author_name(self, obj):
        # Atom needs an author for every entry; the site stands in for agency copy.
        return settings.SITE_NAME


class SectionFeed(SiteFeed):
    url_name = "articles:section_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)

    def title(self, obj):
        return f"{obj.name} | {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories."


class TagFeed(SiteFeed):
    url_name = "articles:tag_feed"

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not self.articles(tag).exists():
            # Like the tag page: a tag used only on unpublished articles is unknown.
            raise Http404("No such tag.")
        return tag

    def articles(self, obj):
        return Article.objects.published().tagged(obj)

    def title(self, obj):
        return f"{obj.name} | {settings.SITE_NAME}"

    def description(self, obj):
        return f"Stories about {obj.name}."


class AuthorFeed(SiteFeed):
    url_name = "articles:author_feed"

    def get_object(self, request, slug):
        author = get_object_or_404(Author, slug=slug)
        if not self.articles(author).exists():
            # Like the author page: nothing published yet, no public author.
            raise Http404("No such author.")
        return author

    def articles(self, obj):
        return Article.objects.published().by_author(obj)

    def title(self, obj):
        return f"{obj.name} | {settings.SITE_NAME}"

    def description(self, obj):
        return f"Stories by {obj.name}."


class SiteAtomFeed(AtomMixin, SiteFeed):
    url_name = "articles:feed_atom"


class SectionAtomFeed(AtomMixin, SectionFeed):
    url_name = "articles:section_feed_atom"


class TagAtomFeed(AtomMixin, TagFeed):
    url_name = "articles:tag_feed_atom"


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    url_name = "articles:author_feed_atom"
