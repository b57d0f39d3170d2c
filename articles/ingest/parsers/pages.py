"""Saved article pages (HTML), as a browser's "Save page" writes them.

The page's own structured data is believed first: schema.org JSON-LD and
microdata (NewsArticle and the other Article types), Open Graph and
`article:*` meta, `<meta name="author">`, `rel=author` links and the visible
byline and dateline markup. trafilatura extracts the body and is asked for
what the page does not say itself; its guesses are checked like the page's
own names: generic ones ("Username", "Admin", "Staff") are not bylines, and
agencies are a credit, not a person. Bylines of other articles the page
lists (asides, related stories, navigation) are never taken.

The identity is the page's canonical URL (`<link rel=canonical>`, `og:url`),
else a hash of the file's bytes.
"""

import copy
import hashlib
import re

import lxml.html
from lxml import etree

from ..limits import body_limit, describe
from ..records import ArticleRecord, ImageRecord, SourceError
from .bylines import is_agency, split_byline
from .dates import date_of
from .fields import body_html, clean_text
from .links import joined, looks_like_url, scheme, unescape_twice
from .pagedata import (
    first_meta,
    ld_list,
    ld_names,
    ld_people,
    ld_text,
    linked_data_article,
    meta_values,
    microdata_article,
    own_properties,
    property_name,
    property_value,
)
from .wiretext import clean_dateline

NO_ARTICLE = "no og:type article, schema.org article data or <article> element"
# Names that sites and extractors put where no byline was given.
GENERIC_NAMES = {
    "admin", "administrator", "anonymous", "author", "editor", "editors", "guest",
    "none", "null", "redaction", "rédaction", "redaktion", "staff", "undefined",
    "unknown", "user", "username", "web", "webmaster",
}  # fmt: skip
# Containers of other articles' teasers and bylines, not this article's.
ELSEWHERE = {"aside", "nav", "footer"}
_ELSEWHERE_CLASS = re.compile(
    r"related|recommend|teaser|promo|more-|most-|popular|sidebar|widget|comment"
    r"|outbrain",
    re.I,
)
_META_TAG = re.compile(rb"<meta\b[^<>]*>", re.I)
_LD_ARTICLE = re.compile(
    rb'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?\w*(?:Article|Posting)"'
)
_MICRODATA_ARTICLE = re.compile(
    rb"""itemtype\s*=\s*["']?https?://schema\.org/\w*(?:Article|Posting)\b""", re.I
)
_ARTICLE_ELEMENT = re.compile(rb"<article[\s>]", re.I)
_EMPTY_PARAGRAPH = re.compile(r"<p\b[^>]*>\s*</p>|<p\s*/>")
# trafilatura's time grows faster than the page: 50,000 elements (fifty times
# a newspaper's article page) take it a few seconds.
ELEMENT_LIMIT = 50_000


def page_limit():
    """A saved page holds much more than its article (scripts, styles, menus)."""
    return 10 * body_limit()


def has_article(head):
    """Whether the bytes of an HTML page show an article (for detection)."""
    for tag in _META_TAG.findall(head):
        lowered = tag.lower()
        if b"og:type" in lowered and re.search(
            rb"content\s*=\s*[\"']?article", lowered
        ):
            return True
    return bool(
        _LD_ARTICLE.search(head)
        or _MICRODATA_ARTICLE.search(head)
        or _ARTICLE_ELEMENT.search(head)
    )


def parse(stream, *, zone=None):
    """Yield the article of a saved page."""
    limit = page_limit()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise SourceError(
            f"the page is larger than {describe(limit)}, the limit for a saved page"
        )
    if not raw.strip():
        raise SourceError("the file is empty")
    if not has_article(raw):
        raise SourceError(f"not a saved article page: {NO_ARTICLE}")
    try:
        tree = lxml.html.document_fromstring(
            raw, parser=lxml.html.HTMLParser(encoding="utf-8", no_network=True)
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise SourceError(f"not an HTML page: {exc}") from exc
    elements = sum(1 for _ in tree.iter())
    if elements > ELEMENT_LIMIT:
        raise SourceError(
            f"the page has {elements:,} elements, over the {ELEMENT_LIMIT:,} limit "
            "for a saved page"
        )
    try:
        record = Page(tree).record(raw, zone)
    except RecursionError as exc:
        raise SourceError("the page is nested too deeply") from exc
    yield record


class Page:
    """One parsed page and what it says about its article."""

    def __init__(self, tree):
        self.tree = tree
        self.meta = meta_values(tree)
        self.ld = linked_data_article(tree)
        self.scope = microdata_article(tree)
        articles = tree.xpath("//article")
        self.main = (
            self.scope
            if self.scope is not None
            else (articles[0] if articles else tree)
        )
        self._extracted = None

    def record(self, raw, zone):
        # The article's line in the file: its element, else its headline's.
        start = self.main
        if start is self.tree:
            start = next(iter(self.tree.xpath("//h1")), self.tree)
        record = ArticleRecord(
            position=f"line {start.sourceline or 1}", status="published"
        )
        record.canonical_url = self.canonical_url()
        record.source_uri = record.canonical_url or (
            "page:sha256:" + hashlib.sha256(raw).hexdigest()
        )
        record.headline = self.headline()
        record.deck = clean_text(
            ld_text(self.ld.get("description"))
            or self.meta.get("og:description")
            or self.microdata("description")
            or self.meta.get("description")
        )
        record.dateline = clean_dateline(
            ld_text(self.ld.get("dateline")) or self.marked("dateline", 100)
        )
        record.body = self.body(record.dateline)
        record.published_at, record.published_date_only = self.date(
            record,
            "published",
            ld_text(self.ld.get("datePublished"))
            or self.meta.get("article:published_time")
            or self.microdata("datePublished")
            or first_meta(self.meta, "pubdate", "publishdate", "date", "dc.date")
            or self.extracted("date"),
            zone,
        )
        record.updated_at, _ = self.date(
            record,
            "modified",
            ld_text(self.ld.get("dateModified"))
            or self.meta.get("article:modified_time")
            or self.microdata("dateModified"),
            zone,
        )
        record.authors, record.credit = self.byline()
        record.tags = self.tags()
        record.section = self.sections()
        record.language = self.language()
        record.image = self.image(record.canonical_url)
        return record

    # What the page says, in order of trust

    def microdata(self, name):
        """The value of property `name` of the page's schema.org article."""
        if self.scope is None:
            return ""
        for element in own_properties(self.scope, name):
            return property_value(element)
        return ""

    def extracted(self, name):
        """trafilatura's metadata guess for `name` (its own extraction)."""
        if self._extracted is None:
            from trafilatura.metadata import extract_metadata  # slow to import

            self._extracted = extract_metadata(copy.deepcopy(self.tree)).as_dict()
        return self._extracted.get(name) or ""

    def canonical_url(self):
        for href in (
            *self.tree.xpath("//link[@rel='canonical']/@href"),
            self.meta.get("og:url", ""),
            ld_text(self.ld.get("url")),
            ld_text(self.ld.get("mainEntityOfPage")),
        ):
            href = clean_text(href)
            if scheme(href) in ("http", "https"):
                return href
        return ""

    def headline(self):
        h1 = self.main.xpath(".//h1") or self.tree.xpath("//h1")
        return clean_text(
            ld_text(self.ld.get("headline"))
            or self.meta.get("og:title")
            or self.microdata("headline")
            or (h1[0].text_content() if h1 else "")
            or self.extracted("title")
            or "".join(self.tree.xpath("//title/text()"))
        )

    def date(self, record, label, value, zone):
        return date_of(record, value, label, zone) if value else (None, False)

    def byline(self):
        """(people, credit) from the first source that names people; the credit
        from the first that names an agency or organisation."""
        credit = ""
        for names in self.byline_sources():
            people, found = people_of(names)
            credit = credit or found
            if people:
                return people, credit
        return [], credit

    def byline_sources(self):
        """Lists of (name, is an organisation), the most trusted first."""
        yield ld_people(self.ld.get("author"))
        if self.scope is not None:
            authors = own_properties(self.scope, "author")
            yield [(property_name(element), False) for element in authors]
        yield [(self.meta.get("author", ""), False)]
        yield [(name, False) for name in self.meta.get_all("article:author")]
        rel = "//a[contains(concat(' ', @rel, ' '), ' author ')]"
        yield [(link.text_content(), False) for link in here(self.main, rel)]
        yield [(text, False) for text in self.byline_markup()]
        yield [(self.extracted("author"), False)]

    def byline_markup(self):
        """The text of the article's visible byline, if it has one: in the
        article first, else anywhere on the page but in lists of others."""
        for marker in ("byline", "author"):
            if text := self.marked(marker, 200):
                return [text]
        return []

    def marked(self, marker, longest):
        """The text of the first element with `marker` in its class."""
        path = f"//*[contains(@class, '{marker}')]"
        for element in [*here(self.main, path), *here(self.tree, path)]:
            text = clean_text(element.text_content())
            if text and len(text) < longest:
                return text
        return ""

    def body(self, dateline):
        """The article's text as HTML (trafilatura), without its dateline (kept
        in the record) and without empty paragraphs."""
        import trafilatura  # slow to import

        extracted = trafilatura.extract(
            copy.deepcopy(self.tree),
            output_format="html",
            include_comments=False,
            include_images=False,
            include_links=True,
            include_formatting=True,
            include_tables=True,
        )
        body = _EMPTY_PARAGRAPH.sub("", body_html(extracted or ""))
        if dateline:
            words = r"\s+".join(map(re.escape, dateline.split()))
            opening = rf"^(\s*<p\b[^>]*>)\s*{words}\s*[-–—]+\s*"
            body = re.sub(opening, r"\1", body, count=1)
        return body

    def tags(self):
        tags = ld_list(self.ld.get("keywords"))
        tags += self.meta.get_all("article:tag")
        tags += self.meta.get("news_keywords", "").split(",")
        if len(tags) == 1 and "," in tags[0]:
            tags = tags[0].split(",")
        return [tag for tag in dict.fromkeys(map(clean_text, tags)) if tag]

    def sections(self):
        sections = ld_list(self.ld.get("articleSection")) or [
            self.meta.get("article:section", ""),
            self.microdata("articleSection"),
        ]
        return [name for name in dict.fromkeys(map(clean_text, sections)) if name]

    def language(self):
        language = ld_text(self.ld.get("inLanguage")) or self.tree.get("lang")
        language = language or self.tree.get(
            "{http://www.w3.org/XML/1998/namespace}lang"
        )
        language = language or self.meta.get("content-language")
        language = language or self.meta.get("og:locale")
        return clean_text(language).replace("_", "-")

    def image(self, base):
        """The hero picture: JSON-LD's, else Open Graph's or Twitter's, with the
        caption and alt text of the page's <img> of it when there is one."""
        image = self.ld.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        caption = credit = ""
        if isinstance(image, dict):
            caption = ld_text(image.get("caption"))
            credit = ld_text(image.get("creditText")) or ld_names(image.get("author"))
            image = image.get("url") or image.get("contentUrl")
        url = (
            ld_text(image)
            or self.meta.get("og:image")
            or (self.meta.get("twitter:image") or self.meta.get("twitter:image:src"))
        )
        url = joined(base, unescape_twice(clean_text(url)))
        if scheme(url) not in ("http", "https"):
            return None  # a relative address on a page without its own
        alt = self.meta.get("og:image:alt", "")
        img = self.img_of(url, base)
        if img is not None:
            alt = alt or img.get("alt", "")
            figure = next(img.iterancestors("figure"), None)
            captions = figure.xpath(".//figcaption") if figure is not None else []
            caption = caption or (captions[0].text_content() if captions else "")
        rendition = {"name": "page", "href": url[:1000], "usage": "hero"}
        for key in ("width", "height"):
            if self.meta.get(f"og:image:{key}"):
                rendition[key] = self.meta.get(f"og:image:{key}")
        return ImageRecord(
            source_uri=url[:500],
            href=url,
            caption=clean_text(caption),
            credit=clean_text(credit),
            alt=clean_text(alt),
            renditions=[rendition],
        )

    def img_of(self, url, base):
        for img in self.tree.iter("img"):
            for attribute in ("src", "data-src"):
                src = img.get(attribute)
                if src and joined(base, unescape_twice(src.strip())) == url:
                    return img
        return None


# Bylines


def people_of(names):
    """(people, credit) from (name, is an organisation) pairs: generic names
    dropped, agencies and organisations to the credit."""
    people, credits = [], []
    for name, organisation in names:
        name = clean_text(name)
        if not name or is_generic(name) or looks_like_url(name):
            continue
        if organisation or is_agency(name):
            credits.append(name)
            continue
        found, credit = split_byline(name)
        people += [p for p in found if not is_generic(p) and p not in people]
        if credit:
            credits.append(credit)
    return people, ", ".join(dict.fromkeys(credits))


def is_generic(name):
    return clean_text(name).casefold().strip(" .") in GENERIC_NAMES


def here(main, path):
    """Elements matching `path` in the article, leaving out the other articles
    it lists (asides, related stories, navigation)."""
    return [
        element
        for element in main.xpath("." + path)
        if not any(
            ancestor.tag in ELSEWHERE
            or _ELSEWHERE_CLASS.search(ancestor.get("class") or "")
            for ancestor in (element, *element.iterancestors())
        )
    ]
