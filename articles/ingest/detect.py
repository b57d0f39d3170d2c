"""Format detection by content, never by file name."""

import re

from .parsers.pages import NO_ARTICLE, has_article
from .parsers.scraped import looks_scraped
from .parsers.xmlsource import G2_ITEMS

G2_ROOTS = {"newsMessage", *G2_ITEMS}

FORMATS = ("ninjs", "newsml", "wxr", "rss", "atom", "csv", "text", "html")
NAMES = {
    "ninjs": "IPTC ninjs (JSON)",
    "newsml": "IPTC NewsML-G2",
    "wxr": "WordPress export (WXR)",
    "rss": "RSS feed",
    "atom": "Atom feed",
    "csv": "CSV",
    "text": "scraped text page",
    "html": "saved article page (HTML)",
}
# The root element is found in the first 8 KB; a saved page's article markup
# can come after hundreds of kilobytes of inline scripts and styles.
ROOT_BYTES = 8192
SNIFF_BYTES = 1 << 20
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_HTML_DOCTYPE = re.compile(rb"<!DOCTYPE\s+html\b", re.I)


class UnknownFormat(Exception):
    pass


def detect(head):
    """The format of a file from its first bytes; raises UnknownFormat."""
    # UTF-16 and UTF-32 files arrive here as UTF-8 (see encoding.py).
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not stripped:
        raise UnknownFormat("the file is empty")
    if stripped[:1] in (b"{", b"["):
        return "ninjs"
    if stripped[:1] == b"<":
        return _detect_xml(stripped)
    text = stripped.decode("utf-8", errors="replace")
    if looks_scraped(text):
        return "text"
    first = text.split("\n", 1)[0].lower()
    if "," in first and "headline" in first:
        return "csv"
    raise UnknownFormat(
        "unrecognised format (expected ninjs JSON, NewsML-G2, WXR, RSS, Atom, an "
        "article CSV, a scraped text page or a saved article page)"
    )


def _detect_xml(head):
    start = head[:ROOT_BYTES]
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", start, flags=re.S)
    match = _ROOT.search(body)
    if not match:
        raise UnknownFormat("XML without a recognisable root element")
    root = match.group(2).decode()
    if root == "rss":
        return "wxr" if b"wordpress.org/export/" in start else "rss"
    if root == "RDF":
        return "rss"
    if root == "feed":
        return "atom"
    if root in G2_ROOTS:
        return "newsml"
    if root.lower() == "html" or _HTML_DOCTYPE.match(start):
        if not has_article(head):
            raise UnknownFormat(f"an HTML page without an article ({NO_ARTICLE})")
        return "html"
    raise UnknownFormat(f"unsupported XML (root element <{root}>)")
