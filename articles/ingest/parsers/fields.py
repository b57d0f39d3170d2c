"""Field rules every parser shares: dates, plain text and HTML bodies (bylines
are bylines.py's)."""

import html
import re
import unicodedata
import zoneinfo
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.conf import settings

from articles.text import clean_characters, clean_line

from .body_images import drop_tracking_pixels

EARLIEST_YEAR = 1800
LATEST_YEAR = 2200

_DATELINE_ELEMENT = re.compile(
    r"<(div|p|span)\b[^>]*class=\"[^\"]*\b(?:dat|dateline|byline)\b[^\"]*\"[^>]*>.*?</\1>",
    re.I | re.S,
)
# Every HTML element a body may hold, and those of whole documents.
HTML_ELEMENTS = (
    "a|abbr|address|article|aside|audio|b|bdi|bdo|big|blockquote|body|br|caption|"
    "center|cite|code|col|colgroup|dd|del|details|dfn|div|dl|dt|em|embed|figcaption|"
    "figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|kbd|li|main|mark|"
    "nav|noscript|object|ol|p|picture|pre|q|s|samp|script|section|small|source|span|"
    "strike|strong|style|sub|summary|sup|table|tbody|td|tfoot|th|thead|time|title|tr|"
    "tt|u|ul|var|video|wbr"
)
_HTML_TAG = re.compile(
    rf"<(?:/(?:{HTML_ELEMENTS})\s*>|(?:{HTML_ELEMENTS})(?:\s[^<>]*)?/?>)", re.I
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

# Mojibake: UTF-8 bytes that were decoded as Windows-1252 ("worldâ€™s").
_CP1252_TAIL = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)
)
_MOJIBAKE = re.compile(
    "[\u00c2-\u00df][" + re.escape(_CP1252_TAIL) + "]"
    "|[\u00e0-\u00ef][" + re.escape(_CP1252_TAIL) + "]{2}"
    "|[\u00f0-\u00f4][" + re.escape(_CP1252_TAIL) + "]{3}"
)


def clean_text(value):
    """A plain-text field as stored: a string, a clean line (the text policy),
    NFC, mojibake repaired, spaces collapsed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value) if isinstance(value, int | float) else ""
    if value.isascii() and value.isprintable():
        # Most fields: no mojibake, nothing the policy removes, NFC already.
        return " ".join(value.split())
    # Mojibake first: its repair reads the C1 characters the policy removes.
    value = clean_line(fix_mojibake(value))
    return " ".join(unicodedata.normalize("NFC", value).split())


def clean_html(value):
    """An HTML field before sanitizing: mojibake repaired, then the characters
    the text policy never stores removed and line breaks normalised."""
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFC", clean_characters(fix_mojibake(value))).strip()


def fix_mojibake(text):
    """Repair UTF-8 text that was read as Windows-1252 somewhere upstream."""
    # ASCII text (most fields) has none: str.isascii() reads a flag.
    if not text or text.isascii() or not _MOJIBAKE.search(text):
        return text

    def repair(match):
        chunk = match.group(0)
        try:
            return chunk.encode("cp1252").decode("utf-8")
        except UnicodeError:
            try:
                return chunk.encode("latin-1").decode("utf-8")
            except UnicodeError:
                return chunk

    return _MOJIBAKE.sub(repair, text)


def strip_tags(value):
    """Plain text from a bit of HTML (for decks and captions)."""
    return clean_text(html.unescape(re.sub(r"<[^>]*>", " ", value or "")))


def text_to_html(text):
    """Plain text to paragraphs: a blank line ends a paragraph."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [clean_text(p) for p in re.split(r"\n\s*\n", text)]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


def looks_like_html(text):
    """Whether a value holds markup: any HTML element, not only paragraphs.
    Element names are listed so that "a <b> c" reads as HTML while "x < y",
    "<3" or "Ann <ann@example.org>" stay text."""
    return bool(_HTML_TAG.search(text or ""))


def body_html(value):
    """An HTML body from HTML or plain text. Whole documents are reduced to their
    <body>, and the document's own <h1> (the headline again) is dropped."""
    value = clean_html(value)
    if not value:
        return ""
    if not looks_like_html(value):
        return text_to_html(value)
    value = drop_tracking_pixels(value)
    match = re.search(r"<body\b[^>]*>(.*?)(?:</body>|$)", value, re.I | re.S)
    if match:
        value = match.group(1)
    value = re.sub(r"<(title|h1|head)\b[^>]*>.*?</\1>", "", value, flags=re.I | re.S)
    value = _DATELINE_ELEMENT.sub("", value)
    if not re.search(r"<(p|div|h[2-6]|ul|ol|blockquote|table)\b", value, re.I):
        # Bare text with inline links and line breaks, no paragraphs.
        parts = re.split(r"\n\s*\n|<br\s*/?>\s*<br\s*/?>", value)
        value = "".join(f"<p>{' '.join(p.split())}</p>" for p in parts if p.strip())
    return value


def language_code(value):
    """A language tag as sources write it ("de-DE", "IT-it", "sk") in one case,
    or "" for anything that is not one."""
    code = clean_text(value).replace("_", "-").lower()
    return code if re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*", code) else ""


def site_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def parse_date(value):
    """An aware datetime from ISO 8601, RFC 822 or another common shape.

    Returns None for no date; raises ValueError (with a reason) for a date that
    is there but cannot be read or is out of range. Dates without a zone are
    read in the site's zone (settings.TIME_ZONE).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = clean_text(value)
        if not text or text.startswith("0000-00-00"):
            return None
        parsed = None
        if _ISO_DATE.match(text):
            candidate = text.replace(" ", "T", 1) if len(text) > 10 else text
            candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)
            try:
                parsed = datetime.fromisoformat(candidate.replace("z", "Z"))
            except ValueError:
                parsed = None
        if parsed is None:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                parsed = None
        if parsed is None:
            parsed = parse_other_date(text)
        if parsed is None:
            raise ValueError(f"unreadable date {text[:60]!r}")
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValueError(f"date out of range: {parsed.year}")
    if parsed.tzinfo is None:
        # fold=0: in a DST overlap the earlier moment, so a story never goes live late
        # by an hour; in a gap zoneinfo moves forward.
        parsed = parsed.replace(tzinfo=site_zone())
    return parsed.astimezone(UTC)


def parse_other_date(text):
    """Dates in other shapes and languages ('2020/1/10 14:33', '10 gennaio 2020'):
    dateparser, the slow path after ISO 8601 and RFC 822. A date missing its
    day, month or year is not completed with today's."""
    import dateparser  # slow to import; most files never need it

    try:
        return dateparser.parse(
            text[:200], settings={"REQUIRE_PARTS": ["day", "month", "year"]}
        )
    except (ValueError, OverflowError):
        return None
