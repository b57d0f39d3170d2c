"""Article -> IPTC ninjs (News in JSON) 2.1, for the API and the export.

The API and export files share this one mapping, so they never disagree. The
other direction (reading ninjs files) is the ingest app's.

Every object validates against IPTC's own 2.1 schema, which allows no
properties of its own making, so everything is said with standard ones:
the publication time is `firstcreated` (the distributed item is first created
when it is published; a draft's is its creation time), a scheduled or
embargoed article is `embargoed` until it goes live (only staff outputs,
the export, ever show one), and the public page is a `text/html`
rendition of the item.
"""

import mimetypes
import re
from datetime import UTC
from urllib.parse import quote

from django.conf import settings

from .bylines import byline_line
from .structured_data import absolute_url

NINJS_VERSION = "2.1"
NINJS_SCHEMA = f"http://www.iptc.org/std/ninjs/ninjs-schema_{NINJS_VERSION}.json"
PUBSTATUS_FROM_STATUS = {
    "published": "usable",
    "draft": "withheld",
    "review": "withheld",
    "withdrawn": "canceled",
}
# An identity from a source that is not a URI (a CSV row's "row 7") goes out
# wrapped in this URN, which the ninjs import unwraps.
WRAPPED_SOURCE = "urn:newsroom:source:"
# A scheme, then only the characters RFC 3986 allows.
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[\w\-.~:/?#\[\]@!$&'()*+,;=%]*", re.ASCII)
URI_CHARACTERS = "-._~:/?#[]@!$&'()*+,;=%"
# `people` are whom a story is about, unless their `rel` says they are in its
# byline: "byline:writer", "byline:photographer" (our Byline.Role values).
BYLINE_REL = "byline:"


def ninjs_uri(article):
    return identity(article.source_uri, f"urn:newsroom:article:{article.pk}")


def identity(source_uri, own):
    """The `uri` of an item: its source's, a URI either way, else our own."""
    if not source_uri:
        return own
    if URI.fullmatch(source_uri):
        return source_uri
    return WRAPPED_SOURCE + quote(source_uri, safe="")


def href(value):
    """A link as a URI: characters a URI cannot hold are percent-encoded."""
    return quote(value, safe=URI_CHARACTERS) if isinstance(value, str) else None


def iso(value):
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def without_empty(data):
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def held_until(article):
    """When readers may first see a story not out yet: its embargo's end, or
    its scheduled time (None for a story out, or a draft without either)."""
    if article.is_embargoed:
        return article.embargoed_until
    return article.published_at if article.is_scheduled else None


def article_to_ninjs(article):
    """A ninjs 2.1 object for an article (expects bylines and tags prefetched)."""
    bylines = list(article.bylines.all())
    data = {
        "uri": ninjs_uri(article),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "versioncreated": iso(version_time(article)),
        "firstcreated": iso(article.published_at or article.created_at),
        "embargoed": iso(held_until(article)),
        "pubstatus": PUBSTATUS_FROM_STATUS.get(article.status, "withheld"),
        "language": article.language,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": article.body}],
        "subjects": [{"name": tag.name} for tag in article.tags.all()],
        "genres": [{"name": article.section.name}],
        "slugline": article.slug,
        "by": byline_line(bylines, article.credit, lead=False),
        # The dateline's place; its date and agency are the page's alone.
        "located": article.dateline_place,
        "people": [person_to_ninjs(byline) for byline in bylines],
        # The credit is who supplied the story (an agency, a desk), which is
        # what `infosources` says; it claims no copyright.
        "infosources": [{"name": article.credit}] if article.credit else [],
    }
    descriptions = [correction_to_ninjs(c) for c in article.corrections.all()]
    if article.deck:
        descriptions.insert(
            0, {"role": "summary", "contenttype": "text/plain", "value": article.deck}
        )
    data["descriptions"] = descriptions
    if article.status == article.Status.PUBLISHED:
        # Scheduled ones too: the address is fixed, and answers once live.
        data["renditions"] = [
            {
                "name": "web",
                "href": settings.SITE_URL + article.get_absolute_url(),
                "contenttype": "text/html",
            }
        ]
    if article.hero_image and not article.hero_image.rights_expired:
        data["associations"] = [picture_to_ninjs(article.hero_image)]
    return without_empty(data)


def person_to_ninjs(byline):
    """A byline's person: `rel` is the role ("writer", "photographer"), the
    only place ninjs 2.1 leaves for it; the suffix is in `by`."""
    return {
        "name": byline.author.name,
        "rel": f"{BYLINE_REL}{byline.role or 'writer'}",
        "uri": href(absolute_url(byline.author.get_absolute_url())),
    }


def version_time(article):
    """When this version was made: the last save, or a later correction."""
    times = (article.updated_at, article.public_updated_at)
    return max(t for t in times if t)


def correction_to_ninjs(correction):
    """A public note as a ninjs description: the role says which kind it is
    ("correction", "clarification", "update"), the value starts with its kind
    and time, as the ninjs import reads it back."""
    when = iso(correction.created_at.replace(microsecond=0))
    return {
        "role": correction.kind,
        "contenttype": "text/plain",
        "value": f"{correction.get_kind_display()} ({when}): {correction.text}",
    }


def picture_to_ninjs(image):
    """The hero picture as a ninjs association: the file first, then what the
    source offered."""
    renditions = [rendition_to_ninjs(r) for r in image.renditions or []]
    if image.file:
        renditions.insert(
            0,
            {
                "name": "original",
                "href": absolute_url(image.file.url),  # a CDN's own address
                "contenttype": mimetypes.guess_type(image.file.name)[0],
                "width": image.width,
                "height": image.height,
            },
        )
    return without_empty(
        {
            "name": "featureimage",
            "type": "picture",
            "uri": identity(image.source_uri, f"urn:newsroom:image:{image.pk}"),
            "headlines": [{"role": "main", "value": image.alt}],
            "descriptions": (
                [{"role": "caption", "value": image.caption}] if image.caption else []
            ),
            "by": image.credit,
            "copyrightholder": image.source or image.credit,
            "copyrightnotice": image.credit,
            "usageterms": image.usage_terms,
            "renditions": [without_empty(r) for r in renditions if r.get("name")],
        }
    )


def rendition_to_ninjs(rendition):
    """A rendition as a source offered it (ingest's shape) in ninjs 2.x terms."""
    result = {
        "name": str(rendition.get("name") or ""),
        "href": href(rendition.get("href")),
        "contenttype": rendition.get("mimetype"),
    }
    for size in ("width", "height"):
        value = rendition.get(size)
        if isinstance(value, int | float) and not isinstance(value, bool):
            result[size] = value
    return result
