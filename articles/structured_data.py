"""Schema.org NewsArticle data for an article page (JSON-LD).

Search engines and social sites read this to show a story's headline, authors,
picture and dates. The dict is built here; the template emits it with the
`json_ld` filter (articles/templatetags/structured_data.py), which escapes it.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator

from .text import clean_line

# An edit this soon after publication is a fix-up, not an update worth showing.
UPDATE_THRESHOLD = timedelta(hours=1)


def absolute_url(url):
    """`url` as an absolute address: paths are joined to settings.SITE_URL."""
    if not url or url.startswith(("http://", "https://", "//")):
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def canonical_url(article):
    """The article's one address: its canonical URL when set, else our own."""
    return article.canonical_url or absolute_url(article.get_absolute_url())


def updated_time(article):
    """The "Updated" time readers see, or None if there is none to show.

    `public_updated_at` is set by editors (an update, not a minor edit) and by
    corrections; once an article has it, only it counts. Articles that never
    went through the editor fall back to `updated_at`, when well after
    publication.
    """
    published = article.published_at
    if not published:
        return None
    if article.public_updated_at:
        shown = article.public_updated_at > published
        return article.public_updated_at if shown else None
    if article.updated_at and article.updated_at - published > UPDATE_THRESHOLD:
        return article.updated_at
    return None


def published_iso(article):
    """The published time in ISO 8601; the date alone when the source gave no time."""
    when = timezone.localtime(article.published_at)
    return when.date().isoformat() if article.published_date_only else when.isoformat()


def image_object(image):
    data = {"@type": "ImageObject", "url": absolute_url(image.file.url)}
    if image.width and image.height:
        data["width"] = image.width
        data["height"] = image.height
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    if image.source:
        data["copyrightHolder"] = {"@type": "Organization", "name": image.source}
    if image.usage_terms:
        data["copyrightNotice"] = image.usage_terms
    return data


def person(author):
    return {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
        **({"jobTitle": author.role} if author.role else {}),
    }


def correction_comments(article):
    """The article's public notes as schema.org CorrectionComments, newest first
    (corrections, clarifications and updates alike; reads the prefetch)."""
    if not article.pk:
        return []
    return [
        {
            "@type": "CorrectionComment",
            "name": correction.get_kind_display(),
            # Plain text in JSON-LD: no bidi controls, one line.
            "text": clean_line(correction.text),
            "datePublished": correction.created_at.isoformat(),
        }
        for correction in article.corrections.all()
    ]


def news_article(article, authors, tags=(), contributors=(), live=None):
    """The NewsArticle dict for `article`, authors (the writers) in byline
    order; `contributors` are the other bylines (a photographer, a
    translator), each a `contributor`; a LiveBlogPosting with its entries if
    it has `live` coverage."""
    url = canonical_url(article)
    updated = updated_time(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.seo_description or article.deck,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": article.language,
        "articleSection": article.section.name,
        "author": [person(author) for author in authors],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": f"{settings.SITE_URL}/",
        },
    }
    if contributors:
        data["contributor"] = [person(byline.author) for byline in contributors]
    if article.dateline_place:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline_place}
    if article.published_at:
        data["datePublished"] = published_iso(article)
    if updated:
        data["dateModified"] = updated.isoformat()
    elif article.published_at:
        data["dateModified"] = data["datePublished"]  # never changed since
    if article.hero_image_id and article.hero_image.is_shown:
        data["image"] = [image_object(article.hero_image)]
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if corrections := correction_comments(article):
        data["correction"] = corrections
    if article.credit:
        # The agency or source: the author when no person is named, else the
        # organisation the authors wrote for ("Jane Doe, Reuters").
        credit = {"@type": "Organization", "name": article.credit}
        if authors:
            data["sourceOrganization"] = credit
        else:
            data["author"] = [credit]
    if live is not None:
        data.update(live_blog_posting(url, live))
    return data


def live_blog_posting(url, live):
    """What makes a story a LiveBlogPosting: its coverage times and updates."""
    coverage = live.coverage
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": timezone.localtime(coverage.started_at).isoformat(),
    }
    if coverage.ended_at:
        data["coverageEndTime"] = timezone.localtime(coverage.ended_at).isoformat()
    data["liveBlogUpdate"] = [live_update(url, entry) for entry in live.all_entries]
    return data


def live_update(url, entry):
    text = entry.plain_text
    data = {
        "@type": "BlogPosting",
        "headline": Truncator(text).chars(110),
        "articleBody": text,
        "url": f"{url}#{entry.anchor}",
        "datePublished": timezone.localtime(entry.created_at).isoformat(),
        "dateModified": timezone.localtime(entry.updated_at).isoformat(),
    }
    if entry.author:
        data["author"] = {"@type": "Person", "name": entry.author.name}
    if entry.image and entry.image.file and entry.image.is_shown:
        data["image"] = image_object(entry.image)
    return data
