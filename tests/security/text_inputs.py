"""Awkward characters, import files that carry them, and the public documents
that must stay well-formed whatever editors and sources send."""

import contextlib
import csv
import io
import json
import re
from datetime import timedelta
from xml.sax.saxutils import escape, quoteattr

from defusedxml.ElementTree import fromstring as parse_xml
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag

from .hostile import HTML_ELEMENTS, html_problems, xml_problems

# What a headline must never carry out to a reader (Cc other than tab and line
# breaks, non-characters, surrogates).
NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
OPENERS = {"\u202a": "E", "\u202b": "E", "\u202d": "E", "\u202e": "E"} | {
    c: "I" for c in "\u2066\u2067\u2068"
}


def not_text(value):
    """The characters of `value` that are not text, as code points."""
    return [
        f"U+{ord(c):04X}"
        for c in value
        if NOT_TEXT.match(c) or ord(c) % 0x10000 >= 0xFFFE
    ]


def unbalanced_bidi(value):
    """Whether a bidi embedding, override or isolate is left open, or closed
    without being opened (which would end someone else's)."""
    open_ = []
    for char in value:
        if char in OPENERS:
            open_.append(OPENERS[char])
        elif char == "\u202c":
            if not open_ or open_.pop() != "E":
                return True
        elif char == "\u2069":
            if "I" not in open_:
                return True
            while open_.pop() != "I":
                pass
    return bool(open_)


_ESCAPED = re.compile("([\udc80-\udcff]+)")


def to_bytes(text):
    """UTF-8 bytes of `text`, where lone surrogates stay as they are (invalid
    UTF-8) and U+DC80-U+DCFF stand for raw bytes, as with surrogateescape."""
    return b"".join(
        part.encode("utf-8", "surrogateescape" if index % 2 else "surrogatepass")
        for index, part in enumerate(_ESCAPED.split(text))
    )


# Import files, one article each, in every format the importer reads.


def _xml(value):
    return escape(value)


def ninjs_file(uri, fields):
    item = {
        "uri": uri,
        "type": "text",
        "firstcreated": fields["published"],
        "pubstatus": "usable",
        "headline": fields["headline"],
        "description_text": fields["deck"],
        "body_html": fields["body"],
        "byline": fields["byline"],
        "subject": [{"name": fields["tag"]}],
        "associations": {
            "featuremedia": {
                "type": "picture",
                "guid": f"{uri}:picture",
                "description_text": fields["caption"],
                "byline": fields["credit"],
                "renditions": {"viewImage": {"href": fields["picture"]}},
            }
        },
    }
    # json.dumps writes a lone surrogate as a \ud800 escape, as other tools do;
    # without ensure_ascii it writes it as it is, invalid UTF-8.
    return "story.json", to_bytes(json.dumps(item, ensure_ascii=fields["ascii"]))


def csv_file(uri, fields):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["source_uri", "headline", "deck", "body", "published_at", "authors", "tags"]
        + ["image", "image_caption", "image_credit"]
    )
    writer.writerow(
        [uri, fields["headline"], fields["deck"], fields["body"], fields["published"]]
        + [fields["byline"], fields["tag"], fields["picture"]]
        + [fields["caption"], fields["credit"]]
    )
    return "stories.csv", to_bytes(buffer.getvalue())


def rss_file(uri, fields):
    when = fields["published_rfc822"]
    return "feed.rss", to_bytes(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Wire</title>'
        f"<item><title>{_xml(fields['headline'])}</title>"
        f'<guid isPermaLink="false">{_xml(uri)}</guid>'
        f"<description>{_xml(fields['deck'])}</description>"
        f"<content:encoded>{_xml(fields['body'])}</content:encoded>"
        f"<pubDate>{when}</pubDate>"
        f"<dc:creator>{_xml(fields['byline'])}</dc:creator>"
        f"<category>{_xml(fields['tag'])}</category>"
        f'<media:content url={quoteattr(fields["picture"])} medium="image">'
        f"<media:description>{_xml(fields['caption'])}</media:description>"
        f"<media:credit>{_xml(fields['credit'])}</media:credit>"
        "</media:content></item></channel></rss>"
    )


def atom_file(uri, fields):
    return "feed.atom", to_bytes(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:media="http://search.yahoo.com/mrss/">'
        f"<title>Wire</title><id>urn:wire</id><updated>{fields['published']}</updated>"
        f"<entry><id>{_xml(uri)}</id>"
        f'<title type="html">{_xml(fields["headline"])}</title>'
        f"<published>{fields['published']}</published>"
        f"<author><name>{_xml(fields['byline'])}</name></author>"
        f"<category term={quoteattr(fields['tag'])}/>"
        f'<summary type="html">{_xml(fields["deck"])}</summary>'
        f'<content type="html">{_xml(fields["body"])}</content>'
        f'<media:content url={quoteattr(fields["picture"])} medium="image">'
        f"<media:description>{_xml(fields['caption'])}</media:description>"
        f"<media:credit>{_xml(fields['credit'])}</media:credit>"
        "</media:content></entry></feed>"
    )


def wxr_file(uri, fields):
    when = fields["published"].replace("T", " ")[:19]
    wp = "https://wordpress.org/export/1.2/"
    return "export.xml", to_bytes(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{wp}">'
        "<channel><title>Gazette</title>"
        f"<item><title>{_xml(fields['headline'])}</title>"
        f'<guid isPermaLink="false">{_xml(uri)}</guid>'
        f"<dc:creator>{_xml(fields['byline'])}</dc:creator>"
        f"<content:encoded>{_xml(fields['body'])}</content:encoded>"
        f"<excerpt:encoded>{_xml(fields['deck'])}</excerpt:encoded>"
        "<wp:post_id>10</wp:post_id>"
        f"<wp:post_date_gmt>{when}</wp:post_date_gmt>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        f'<category domain="post_tag">{_xml(fields["tag"])}</category>'
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>11</wp:meta_value></wp:postmeta></item>"
        f"<item><title>Photo</title><guid>{_xml(fields['picture'])}</guid>"
        f"<excerpt:encoded>{_xml(fields['caption'])}</excerpt:encoded>"
        "<wp:post_id>11</wp:post_id><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{_xml(fields['picture'])}</wp:attachment_url></item>"
        "</channel></rss>"
    )


IMPORT_FILES = {
    "ninjs": ninjs_file,
    "csv": csv_file,
    "rss": rss_file,
    "atom": atom_file,
    "wxr": wxr_file,
}


def import_file(fmt, uri, **fields):
    """(file name, bytes) of one article in format `fmt`, published an hour ago,
    its picture a path under the import's --media-dir."""
    fields.setdefault("picture", "boats.jpg")
    fields.setdefault("ascii", True)
    when = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    fields.setdefault("published", when.isoformat())
    fields.setdefault("published_rfc822", when.strftime("%a, %d %b %Y %H:%M:%S +0000"))
    return IMPORT_FILES[fmt](uri, fields)


# The public documents


def public_documents():
    """(url, kind) of every feed, sitemap and page that shows published text."""
    urls = [
        (reverse("articles:feed"), "xml"),
        (reverse("articles:feed_atom"), "xml"),
        (reverse("sitemap-index"), "xml"),
        (reverse("news-sitemap"), "xml"),
        ("/", "html"),
    ]
    urls += [
        (reverse("sitemap", kwargs={"section": name}), "xml")
        for name in ("articles", "sections", "tags", "authors")
    ]
    live = Article.objects.published()
    for model, filter_, names in (
        (Section, {"articles__in": live}, ("section", "section_feed")),
        (Tag, {"article_items__content_object__in": live}, ("tag", "tag_feed")),
        (Author, {"bylines__article__in": live}, ("author", "author_feed")),
    ):
        for slug in model.objects.filter(**filter_).values_list("slug", flat=True):
            page, feed = names
            urls += [
                (reverse(f"articles:{page}", args=[slug]), "html"),
                (reverse(f"articles:{feed}", args=[slug]), "xml"),
                (reverse(f"articles:{feed}_atom", args=[slug]), "xml"),
            ]
    urls += [(article.get_absolute_url(), "html") for article in live]
    return list(dict.fromkeys(urls))


def json_ld_blocks(body):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)


def text_problems(values):
    """Characters that are not text, and bidi controls, in plain-text values."""
    problems = []
    for value in values:
        if not_text(value):
            problems.append(f"{value!r} carries {', '.join(not_text(value))}")
        elif any(c in BIDI for c in value):
            problems.append(f"{value!r} carries a bidi control")
    return problems


def json_strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    elif isinstance(value, str):
        yield value


def document_problems(url, kind, body):
    """Why a public document is broken: ill-formed XML or JSON-LD, characters
    that are not text, or a bidi control escaping its field."""
    text = body.decode()
    problems = [f"{code} in the document" for code in not_text(text)]
    if kind == "html":
        problems += html_problems(text)
        for block in json_ld_blocks(text):
            with contextlib.suppress(ValueError):  # html_problems reports it
                problems += text_problems(json_strings(json.loads(block)))
        return problems
    problems += xml_problems(body)
    if not problems:
        for element in parse_xml(body).iter():
            html = element.tag.rsplit("}", 1)[-1] in HTML_ELEMENTS
            if html and element.text and unbalanced_bidi(element.text):
                problems.append(f"unbalanced bidi controls in {element.text!r}")
            elif not html:
                problems += text_problems([element.text or "", element.tail or ""])
            problems += text_problems(element.attrib.values())
    return problems


def public_problems(client=None):
    """Every public document, fetched now: each must answer 200 and be sound."""
    client = client or Client(raise_request_exception=False)
    cache.clear()  # what the stored text renders now, not an earlier page
    problems = []
    for url, kind in public_documents():
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url} answered {response.status_code}")
            continue
        problems += [
            f"{url}: {p}" for p in document_problems(url, kind, response.content)
        ]
    return problems
