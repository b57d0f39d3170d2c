"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2; http or https namespaces).

Only `post` items become articles; pages, attachments, menu items and the rest
are skipped with the reason. Featured images (`_thumbnail_id`) are resolved
from the file's attachment items, which a first pass collects when the file
can be read twice.
"""

import html
import re

from ..records import ArticleRecord, Failed, ImageRecord, Skipped, SourceError
from .bylines import add_byline
from .dates import date_of, read_date
from .fields import clean_html, clean_text, strip_tags
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


def parse(stream, *, zone=None):
    attachments = collect_attachments(stream) if stream.seekable() else {}
    authors = {}
    categories = {}  # nicename: (name, parent nicename) from <wp:category>
    guids = {}  # guid: the post_id that first had it
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
        elif name == "category" and is_wp(element.tag):
            slug = clean_text(wp(element, "category_nicename"))
            categories[slug] = (
                clean_text(wp(element, "cat_name")),
                clean_text(wp(element, "category_parent")),
            )
        elif name == "item":
            number += 1
            if not any(is_wp(c.tag) for c in element):
                raise SourceError(
                    "not a WordPress export (WXR): its items have no wp: elements "
                    "(an RSS feed? use --format rss)",
                    f"item {number}",
                )
            remember(attachments, element)
            record = record_from_item(
                element, f"item {number}", authors, attachments, categories, zone
            )
            if isinstance(record, ArticleRecord):
                tell_apart(record, element, guids)
            yield record
            element.clear()
            parent.remove(element)


def tell_apart(record, item, guids):
    """A post copied in WordPress can keep the original's guid: a later post
    with another post_id is then identified by its permalink (the file's
    order decides, so every run decides the same)."""
    post_id = wp(item, "post_id").strip()
    first = guids.setdefault(record.source_uri, post_id)
    link = clean_text(text(item, "link"))
    if first != post_id and link and link != record.source_uri:
        record.warnings.append(
            f"shares its guid with post {first}: identified by its link {link}"
        )
        record.source_uri = link


def collect_attachments(stream):
    """{post_id: ImageRecord} for attachment items (first pass, streaming)."""
    found = {}
    try:
        for event, element, parent in tree_events(
            stream, "a WordPress export (WXR)", ("rss",)
        ):
            if event == "end" and local(element.tag) == "item":
                remember(found, element)
                element.clear()
                parent.remove(element)
    except SourceError:
        pass  # the main pass reports it, with the records before it imported
    stream.seek(0)
    return found


def remember(attachments, item):
    """Keep an attachment item by its post id, and as ("parent", id) the first
    picture attached to each post: its picture when it names no featured one."""
    attachment = attachment_of(item)
    if attachment is None:
        return
    post_id, image = attachment
    attachments.setdefault(post_id, image)
    parent = wp(item, "post_parent").strip()
    if parent and parent != "0" and image_url(image.href):
        attachments.setdefault(("parent", parent), image)


def image_url(url):
    path = url.split("?", 1)[0].casefold()
    return path.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"))


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


def record_from_item(item, position, authors, attachments, categories=None, zone=None):
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
    record.published_at = wxr_date(record, item, zone)
    for creator in children_named(item, "creator"):
        login = clean_text(creator.text)
        if login in authors:  # a WordPress account: a person, named as they chose
            if authors[login] not in record.authors:
                record.authors.append(authors[login])
        elif login:
            add_byline(record, login)
    read_categories(record, item, categories or {})
    thumbnail = postmeta(item).get("_thumbnail_id", "").strip()
    if thumbnail:
        record.image = attachments.get(thumbnail)
        if record.image is None:
            record.warnings.append(
                f"featured image (attachment {thumbnail}) not in the file"
            )
    if record.image is None:
        record.image = attachments.get(("parent", wp(item, "post_id").strip()))
    return record


def read_categories(record, item, categories):
    """Tags (domain post_tag, or tag in WXR 1.0) and sections (domain category,
    or none at all); a nested category's parents follow it as candidates."""
    parents = []
    for category in children_named(item, "category"):
        name = clean_text(category.text)
        domain = category.get("domain")
        if not name:
            continue
        if domain in ("post_tag", "tag"):
            if name not in record.tags:
                record.tags.append(name)
        elif domain in (None, "category"):
            record.section.append(name)
            parent = categories.get(category.get("nicename") or "", ("", ""))[1]
            while parent in categories and len(parents) < 20:
                parents.append(categories[parent][0])
                parent = categories[parent][1]
    for name in parents:
        if name and name not in record.section:
            record.section.append(name)


def content_ns(item):
    return {
        namespace(c.tag)
        for c in item
        if namespace(c.tag).startswith("http://purl.org/rss/1.0/modules/content")
    }


def wxr_date(record, item, zone=None):
    """post_date_gmt (UTC), else pubDate, else post_date (the blog's time,
    read in the source's zone)."""
    published = record.status == "published"
    gmt = wp(item, "post_date_gmt").strip()
    candidates = []
    if gmt and not gmt.startswith("0000"):
        candidates.append(
            ("post_date_gmt", gmt + "+00:00" if _DAY_TIME.match(gmt) else gmt)
        )
    elif not published:
        return None  # a draft WordPress has not dated yet
    candidates.append(("pubDate", text(item, "pubDate")))
    candidates.append(("post_date", wp(item, "post_date")))
    for label, value in candidates:
        try:
            when, _ = read_date(value, zone)
        except ValueError as exc:
            if published:
                record.problems.append(f"date: {exc}")
                return None
            continue
        if when:
            return date_of(record, value, label, zone)[0]  # noting a missing zone
    return None


_DAY_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d")


_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)
_CAPTION_ATTRIBUTE = re.compile(r"""\bcaption=(?:"([^"]*)"|'([^']*)')""")
_CAPTION_MEDIA = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S
)
_CODE = re.compile(r"\[(code|sourcecode)\b[^\]]*\](.*?)\[/\1\]", re.S)
_EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(https?://[^\s\[\]<>\"]+)\s*\[/embed\]")
_PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)


def figure(match):
    """[caption]<img> Text[/caption] as a figure: the words are its caption."""
    media = _CAPTION_MEDIA.match(match.group(2))
    if media is None:
        return match.group(0)  # not a picture: the shortcode stays as written
    text = media.group(2).strip()
    if not text:
        attribute = _CAPTION_ATTRIBUTE.search(match.group(1))
        text = (attribute.group(1) or attribute.group(2)) if attribute else ""
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{media.group(1)}{caption}</figure>"


def code_block(match):
    code = html.escape(html.unescape(match.group(2).strip("\n")), quote=False)
    return f"<pre><code>{code}</code></pre>"


def shortcodes(value):
    """The shortcodes a reader would miss as markup ([caption], [code],
    [sourcecode], [embed]); any other stays as written, with its words."""
    value = _CAPTION.sub(figure, value)
    value = _CODE.sub(code_block, value)
    return _EMBED.sub(r'<p><a href="\1">\1</a></p>', value)


def wp_body(value):
    """WordPress content to HTML: known shortcodes made markup, paragraphs made
    from blank lines as WordPress itself does when it displays a post."""
    value = clean_html(value)
    value = re.sub(r"<!--.*?-->", "", value, flags=re.S)
    value = shortcodes(value)
    # Preformatted blocks keep their blank lines: set aside while paragraphs form.
    value = value.replace("\ue000", "")  # the marker below, never content
    kept = _PRE.findall(value)
    value = _PRE.sub(lambda m: "\n\n\ue000\n\n", value)
    value = BLOCK_END.sub(r"\1\n\n", BLOCK_START.sub(r"\n\n\1", value))
    chunks = re.split(r"\n\s*\n", value.replace("\r\n", "\n"))
    body = []
    pre = iter(kept)
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk == "\ue000":
            body.append(next(pre))
        elif BLOCK.match(chunk):
            body.append(" ".join(chunk.split()))
        else:
            body.append("<p>" + chunk.replace("\n", "<br>") + "</p>")
    return "\n".join(body)
