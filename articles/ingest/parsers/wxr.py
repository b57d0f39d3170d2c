"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2; http or https namespaces).

Only `post` items become articles; pages, attachments, menu items and the rest
are skipped with the reason. Featured images (`_thumbnail_id`) are resolved
from the file's attachment items, which a first pass collects when the file
can be read twice.
"""

import re

from ..records import ArticleRecord, Failed, ImageRecord, Skipped, SourceError
from .fields import add_byline, clean_html, clean_text, parse_date, strip_tags
from .xmlsource import children_named, local, namespace, text, tree_events

STATUS = {
    "publish": "published",
    "future": "published",
    "draft": "draft",
    "auto-draft": "draft",
    "pending": "review",
    "private": "draft",
}
BLOCKS = "p|h[1-6]|ul|ol|li|blockquote|div|table|figure|pre|hr|dl"
BLOCK = re.compile(rf"^\s*</?({BLOCKS})\b", re.I)
BLOCK_START = re.compile(rf"(<(?:{BLOCKS})\b[^>]*>)", re.I)
BLOCK_END = re.compile(rf"(</(?:{BLOCKS})>)", re.I)


def is_wp(tag):
    return "wordpress.org/export" in namespace(tag)


def parse(stream):
    attachments = collect_attachments(stream) if stream.seekable() else {}
    authors = {}
    number = 0
    what = "a WordPress export (WXR)"
    for event, element, parent in tree_events(stream, what, ("rss",)):
        name = local(element.tag)
        if event == "refused" and name == "item":
            number += 1
            yield Failed(f"item {number}", element.text)
        if event != "end":
            continue
        if name == "author" and is_wp(element.tag):
            login = clean_text(wp(element, "author_login"))
            display = clean_text(wp(element, "author_display_name")) or login
            full = clean_text(
                f"{wp(element, 'author_first_name')} {wp(element, 'author_last_name')}"
            )
            authors[login] = full if display == login and full else display
        elif name == "item":
            number += 1
            if not any(is_wp(c.tag) for c in element):
                raise SourceError(
                    "not a WordPress export (WXR): its items have no wp: elements "
                    "(an RSS feed? use --format rss)",
                    f"item {number}",
                )
            attachment = attachment_of(element)
            if attachment and attachment[0] not in attachments:
                attachments[attachment[0]] = attachment[1]
            yield record_from_item(element, f"item {number}", authors, attachments)
            element.clear()
            parent.remove(element)


def collect_attachments(stream):
    """{post_id: ImageRecord} for attachment items (first pass, streaming)."""
    found = {}
    try:
        for event, element, parent in tree_events(
            stream, "a WordPress export (WXR)", ("rss",)
        ):
            if event == "end" and local(element.tag) == "item":
                attachment = attachment_of(element)
                if attachment:
                    found[attachment[0]] = attachment[1]
                element.clear()
                parent.remove(element)
    except SourceError:
        pass  # the main pass reports it, with the records before it imported
    stream.seek(0)
    return found


def attachment_of(item):
    if wp(item, "post_type") != "attachment":
        return None
    url = clean_text(wp(item, "attachment_url")) or clean_text(text(item, "guid"))
    if not url:
        return None
    meta = postmeta(item)
    return wp(item, "post_id").strip(), ImageRecord(
        source_uri=url[:500],
        href=url,
        caption=strip_tags(text(item, "encoded", excerpt_ns(item))),
        alt=clean_text(meta.get("_wp_attachment_image_alt"))
        or clean_text(text(item, "title")),
        renditions=[{"name": "original", "href": url}],
    )


def wp(item, name):
    for child in item:
        if local(child.tag) == name and is_wp(child.tag):
            return child.text or ""
    return ""


def excerpt_ns(item):
    return {namespace(c.tag) for c in item if "excerpt" in namespace(c.tag)}


def postmeta(item):
    meta = {}
    for entry in item:
        if local(entry.tag) == "postmeta" and is_wp(entry.tag):
            meta[wp(entry, "meta_key")] = wp(entry, "meta_value")
    return meta


def record_from_item(item, position, authors, attachments):
    post_type = wp(item, "post_type").strip() or "post"
    uri = clean_text(text(item, "guid")) or clean_text(text(item, "link"))
    if post_type != "post":
        kind = post_type.replace("_", " ")
        return Skipped(position, f"a WordPress {kind}, not a post", uri)
    wp_status = wp(item, "status").strip() or "publish"
    if wp_status == "trash":
        return Skipped(position, "a post in the WordPress trash", uri)
    record = ArticleRecord(position=position, source_uri=uri)
    if not uri:
        record.problems.append("no guid or link: the post has no identity")
    record.headline = strip_tags(text(item, "title"))
    record.body = wp_body(text(item, "encoded", content_ns(item)))
    record.deck = strip_tags(text(item, "encoded", excerpt_ns(item)))
    record.status = STATUS.get(wp_status, "draft")
    if wp_status == "private" or wp(item, "post_password").strip():
        record.status = "draft"
        record.warnings.append(
            "private or password-protected in WordPress: imported as a draft"
        )
    record.published_at = wxr_date(record, item)
    for creator in children_named(item, "creator"):
        login = clean_text(creator.text)
        if login in authors:  # a WordPress account: a person, named as they chose
            if authors[login] not in record.authors:
                record.authors.append(authors[login])
        elif login:
            add_byline(record, login)
    for category in children_named(item, "category"):
        name = clean_text(category.text)
        if not name:
            continue
        if category.get("domain") == "post_tag":
            record.tags.append(name)
        elif category.get("domain") in (None, "category"):
            record.section.append(name)
    thumbnail = postmeta(item).get("_thumbnail_id", "").strip()
    if thumbnail:
        record.image = attachments.get(thumbnail)
        if record.image is None:
            record.warnings.append(
                f"featured image (attachment {thumbnail}) not in the file"
            )
    return record


def content_ns(item):
    return {
        namespace(c.tag)
        for c in item
        if namespace(c.tag).startswith("http://purl.org/rss/1.0/modules/content")
    }


def wxr_date(record, item):
    """post_date_gmt (UTC), else pubDate, else post_date (site time)."""
    published = record.status == "published"
    gmt = wp(item, "post_date_gmt").strip()
    candidates = []
    if gmt and not gmt.startswith("0000"):
        candidates.append(
            gmt + "+00:00" if re.match(r"^\d{4}-\d\d-\d\d \d", gmt) else gmt
        )
    elif not published:
        return None  # a draft WordPress has not dated yet
    candidates += [text(item, "pubDate"), wp(item, "post_date")]
    for value in candidates:
        try:
            when = parse_date(value)
        except ValueError as exc:
            if published:
                record.problems.append(f"date: {exc}")
                return None
            continue
        if when:
            return when
    return None


def wp_body(value):
    """WordPress content to HTML: shortcodes unwrapped, paragraphs made from
    blank lines as WordPress itself does when it displays a post."""
    value = clean_html(value)
    value = re.sub(r"<!--.*?-->", "", value, flags=re.S)
    value = re.sub(
        r"\[caption[^\]]*\](.*?)\[/caption\]", r"<figure>\1</figure>", value, flags=re.S
    )
    value = re.sub(r"\[/?[a-z_-]+(?:\s[^\]]*)?\]", "", value)
    value = BLOCK_END.sub(r"\1\n\n", BLOCK_START.sub(r"\n\n\1", value))
    chunks = re.split(r"\n\s*\n", value.replace("\r\n", "\n"))
    html = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK.match(chunk):
            html.append(" ".join(chunk.split()))
        else:
            html.append("<p>" + chunk.replace("\n", "<br>") + "</p>")
    return "\n".join(html)
