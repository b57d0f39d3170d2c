"""RSS 2.0 (and RSS 1.0/RDF) and Atom 1.0 feeds.

content:encoded is preferred over description; media:content, enclosures and
Atom enclosure links give the image; dc:creator/author give the byline;
categories become tags. A feed item's link becomes the canonical URL, since
the original lives on the feed's site.

Dates: an item's own (RSS `pubDate`/`dc:date`, Atom `published`), else the
feed's (RSS channel `pubDate`/`dc:date`/`lastBuildDate`, Atom feed `updated`),
with a warning. A later source change (Atom `updated`, or `atom:updated` and
`dcterms:modified` in an RSS item) is the update time; an Atom entry with
only `updated` was published then and has no update.
"""

from ..records import ArticleRecord, Failed, ImageRecord, Skipped
from .body_images import lift_lead_image
from .bylines import add_byline
from .dates import date_of
from .fields import (
    body_html,
    clean_text,
    language_code,
    strip_tags,
)
from .xmlsource import child_named, children_named, inner_xml, local, text, tree_events

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


CHANNEL_DATES = ("pubDate", "date", "lastBuildDate")  # in order of preference


def parse_rss(stream, *, zone=None):
    number = 0
    feed_language = ""  # the channel's <language> or dc:language, else xml:lang
    feed_dates = {}  # the channel's CHANNEL_DATES met so far
    feed_title = ""
    for event, element, parent in tree_events(stream, "an RSS feed", ("rss", "RDF")):
        name = local(element.tag)
        in_channel = parent is not None and local(parent.tag) == "channel"
        if event == "start" and parent is None:
            feed_language = language_code(element.get(XML_LANG))
        elif event == "refused" and name == "item":
            number += 1
            yield Failed(f"item {number}", element.text)
        elif event == "end" and name == "language" and in_channel:
            feed_language = language_code(element.text) or feed_language
        elif event == "end" and name in CHANNEL_DATES and in_channel:
            feed_dates.setdefault(name, clean_text(element.text))
        elif event == "end" and name == "title" and in_channel:
            feed_title = strip_tags(element.text or "")
        elif event == "end" and name == "item":
            number += 1
            record = rss_record(element, f"item {number}", zone)
            if isinstance(record, ArticleRecord):
                feed_date = next(filter(None, map(feed_dates.get, CHANNEL_DATES)), "")
                date_from_feed(record, feed_date, zone)
                credit_from_feed(record, feed_title)
                record.language = (
                    language_code(text(element, "language"))
                    or language_code(element.get(XML_LANG))
                    or feed_language
                )
            yield record
            element.clear()
            if parent is not None:
                parent.remove(element)


def credit_from_feed(record, feed_title):
    """A story that names no one and no agency is credited to the feed it came
    from (as feed readers show it), and says so: never published as nobody's."""
    if record.authors or record.credit or not feed_title:
        return
    record.credit = feed_title[:200]
    record.warnings.append(f"no byline: credited to the feed ({record.credit})")


def date_from_feed(record, feed_date, zone):
    """A record with no date of its own takes the feed's, and says so."""
    if record.published_at is not None or record.problems:
        return
    if feed_date:
        record.published_at, record.published_date_only = date_of(
            record, feed_date, "the feed's date", zone
        )
    if record.published_at is not None:
        record.warnings.append(f"no date of its own: the feed's ({feed_date}) is used")
    else:
        record.warnings.append("no date, nor has the feed: dated when first imported")


def rss_record(item, position, zone=None):
    uri = clean_text(text(item, "guid")) or clean_text(text(item, "link"))
    if not uri and not any(
        clean_text(text(item, name)) for name in ("title", "description", "encoded")
    ):
        return Skipped(position, "an empty item: no title, text, guid or link")
    record = ArticleRecord(position=position, source_uri=uri)
    if not uri:
        record.problems.append("no guid or link: the item has no identity")
    record.headline = strip_tags(text(item, "title"))
    content = text(item, "encoded")
    description = text(item, "description")
    record.body = body_html(content or description)
    if content and description:
        record.deck = strip_tags(description)[:1000]
    record.canonical_url = clean_text(text(item, "link"))[:500]
    record.status = "published"
    label = "pubDate" if clean_text(text(item, "pubDate")) else "dc:date"
    pub_date = text(item, "pubDate") or text(item, "date")
    record.published_at, record.published_date_only = date_of(
        record, pub_date, label, zone
    )
    modified = text(item, "updated") or text(item, "modified")
    record.updated_at, _ = date_of(record, modified, "updated", zone)
    for creator in children_named(item, "creator") + children_named(item, "author"):
        # Some feeds write an author as a block (<author><name>…</name>…</author>).
        # "desk@example.org (Ann Lee)" names Ann Lee; an address alone, no one
        # (bylines.py).
        add_byline(record, clean_text(text(creator, "name") or creator.text))
    record.tags = [clean_text(c.text) for c in children_named(item, "category")]
    record.image = rss_image(item)
    take_lead_image(record)
    return record


def take_lead_image(record):
    """A picture opening the body is the hero when the item names none; either
    way it leaves the body, where it would show twice."""
    lead, body = lift_lead_image(record.body)
    if lead is None:
        return
    if record.image is None:
        record.image = lead
        lead.alt = lead.alt or record.headline
        record.body = body
    elif lead.href == record.image.href:
        record.body = body


def rss_image(item):
    contents = children_named(item, "content", {MEDIA})
    for group in children_named(item, "group", {MEDIA}):
        contents += children_named(group, "content", {MEDIA})
    pictures = [
        c
        for c in contents
        if c.get("url")
        and (
            c.get("medium") == "image"
            or (c.get("type") or "image/").startswith("image/")
        )
    ]
    renditions = [
        {
            "name": f"media{i}",
            "href": c.get("url"),
            "width": _int(c.get("width")),
            "height": _int(c.get("height")),
            "mimetype": c.get("type") or "",
        }
        for i, c in enumerate(pictures)
    ]
    if not renditions:
        for enclosure in children_named(item, "enclosure"):
            if (enclosure.get("type") or "").startswith("image/") and enclosure.get(
                "url"
            ):
                renditions.append(
                    {
                        "name": "enclosure",
                        "href": enclosure.get("url"),
                        "mimetype": enclosure.get("type"),
                    }
                )
    if not renditions:
        return None
    best = max(renditions, key=lambda r: r.get("width") or 0)
    caption = credit = ""
    for picture in pictures:
        caption = caption or strip_tags(text(picture, "description", {MEDIA}))
        credit = credit or clean_text(text(picture, "credit", {MEDIA}))
    caption = caption or strip_tags(text(item, "description", {MEDIA}))
    credit = credit or clean_text(text(item, "credit", {MEDIA}))
    return ImageRecord(
        source_uri=best["href"][:500],
        href=best["href"],
        caption=caption,
        credit=credit,
        alt=caption or strip_tags(text(item, "title")),
        renditions=renditions,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_atom(stream, *, zone=None):
    number = 0
    feed_authors = []
    feed_language = ""
    feed_updated = ""
    feed_title = ""
    for event, element, parent in tree_events(stream, "an Atom feed", ("feed",)):
        name = local(element.tag)
        if event == "start" and parent is None:
            feed_language = language_code(element.get(XML_LANG))
        if event == "refused" and name == "entry":
            number += 1
            yield Failed(f"entry {number}", element.text)
        if event != "end":
            continue
        if name == "author" and parent is not None and local(parent.tag) == "feed":
            feed_authors.append(clean_text(text(element, "name")))
        elif name == "updated" and parent is not None and local(parent.tag) == "feed":
            feed_updated = clean_text(element.text)
        elif name == "title" and parent is not None and local(parent.tag) == "feed":
            feed_title = strip_tags(atom_text(element))
        elif name == "entry":
            number += 1
            record = atom_record(element, f"entry {number}", feed_authors, zone)
            date_from_feed(record, feed_updated, zone)
            if isinstance(record, ArticleRecord):
                credit_from_feed(record, feed_title)
            content = child_named(element, "content")
            record.language = (
                language_code(content.get(XML_LANG) if content is not None else "")
                or language_code(element.get(XML_LANG))
                or feed_language
            )
            yield record
            element.clear()
            parent.remove(element)


def atom_text(element):
    """Text of an Atom text construct, as HTML when it is html/xhtml."""
    if element is None:
        return ""
    kind = element.get("type") or "text"
    if kind == "xhtml":
        return inner_xml(element)
    if kind == "html":
        return element.text or ""
    return element.text or ""


def atom_record(entry, position, feed_authors, zone=None):
    uri = clean_text(text(entry, "id"))
    link = ""
    image = None
    for candidate in children_named(entry, "link"):
        rel = candidate.get("rel") or "alternate"
        href = candidate.get("href") or ""
        if rel == "alternate" and not link:
            link = href
        elif rel == "enclosure" and (candidate.get("type") or "").startswith("image/"):
            image = ImageRecord(
                source_uri=href[:500],
                href=href,
                renditions=[{"name": "enclosure", "href": href}],
            )
    uri = uri or clean_text(link)
    record = ArticleRecord(position=position, source_uri=uri)
    if not uri:
        record.problems.append("no id or link: the entry has no identity")
    title = child_named(entry, "title")
    record.headline = strip_tags(atom_text(title)) if title is not None else ""
    content = child_named(entry, "content")
    summary = child_named(entry, "summary")
    content_html = atom_text(content)
    summary_html = atom_text(summary)
    if content is not None and (content.get("type") or "text") == "text":
        content_html = body_html(content_html)
    record.body = body_html(content_html or summary_html)
    if content_html and summary_html:
        record.deck = strip_tags(summary_html)[:1000]
    record.canonical_url = clean_text(link)[:500]
    record.status = "published"
    published, date_only = date_of(record, text(entry, "published"), "published", zone)
    updated, updated_day = date_of(record, text(entry, "updated"), "updated", zone)
    if published is None:  # only `updated`: that is when it was published
        published, date_only, updated = updated, updated_day, None
    record.published_at, record.published_date_only = published, date_only
    record.updated_at = updated
    names = [clean_text(text(a, "name")) for a in children_named(entry, "author")]
    for name in names or feed_authors:
        add_byline(record, name)
    record.tags = [
        clean_text(c.get("label") or c.get("term"))
        for c in children_named(entry, "category")
    ]
    if image is None:
        image = rss_image(entry)
    if image is not None and not image.alt:
        image.alt = record.headline
    record.image = image
    take_lead_image(record)
    return record
