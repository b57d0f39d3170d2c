"""Format detection by content, never by file name."""

import re

from .scraped import looks_scraped
from .xmlsource import G2_ITEMS

G2_ROOTS = {"newsMessage", *G2_ITEMS}

FORMATS = ("ninjs", "newsml", "wxr", "rss", "atom", "csv", "text")
NAMES = {
    "ninjs": "IPTC ninjs (JSON)",
    "newsml": "IPTC NewsML-G2",
    "wxr": "WordPress export (WXR)",
    "rss": "RSS feed",
    "atom": "Atom feed",
    "csv": "CSV",
    "text": "scraped text page",
}
SNIFF_BYTES = 8192
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")


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
        "article CSV or a scraped text page)"
    )


def _detect_xml(head):
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S)
    match = _ROOT.search(body)
    if not match:
        raise UnknownFormat("XML without a recognisable root element")
    root = match.group(2).decode()
    if root == "rss":
        return "wxr" if b"wordpress.org/export/" in head else "rss"
    if root == "RDF":
        return "rss"
    if root == "feed":
        return "atom"
    if root in G2_ROOTS:
        return "newsml"
    raise UnknownFormat(f"unsupported XML (root element <{root}>)")
