"""Datelines: "CAIRO —", "LONDON, Dec 3 (Reuters) -", "KYIV, Ukraine —".

`split_dateline(text)` reads one at the start of a paragraph's text;
`parse_dateline(text)` reads one a source gave on its own (NewsML-G2
`<dateline>`, a page's marked dateline); `take_dateline(body)` takes one out
of a body's first paragraph; `read_dateline(record)` does both for every
parser's records (sources.py). Pure: no ORM, no markup parser.

Conservative on purpose: an ordinary sentence with a dash in it ("But the
rest —", "NATO — the alliance —") is no dateline. The place is one to five
words, in capitals ("SAN FRANCISCO") or each capitalised ("Paris",
"Rio de Janeiro"), before a dash (or a colon after an agency: "OSLO (NTB):"). A
place alone must be followed by a new sentence, and may not be a word that
opens sentences ("Meanwhile —") or a label ("UPDATE —").
"""

import html
import re
from dataclasses import dataclass

from ..records import ArticleRecord

LIMITS = {"place": 100, "date": 30, "source": 50}  # the Article fields
# A word of a place: "CAIRO", "Paris", "PORT-AU-PRINCE", "ST.", "N.Y.",
# "Calif.", "D.C.", "O'HARE", "Kyiv".
WORD = r"[^\W\d_][\w'’.-]*"
CONNECTORS = {"de", "del", "da", "do", "la", "le", "el", "am", "an", "upon", "on"}
MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
    r"|January|February|March|April|June|July|August|September|October"
    r"|November|December"
)
DATE = re.compile(
    rf"(?:(?:{MONTHS})\s+\d{{1,2}}|\d{{1,2}}\.?\s+(?:{MONTHS}))", re.IGNORECASE
)
DASH = r"(?:—|–|--?|―)"
OPENING = re.compile(
    rf"""^\s*
    (?P<place>{WORD}(?:\s+{WORD}){{0,4}})
    (?:,\s+(?P<region>(?!(?:{MONTHS})\b){WORD}(?:\s+{WORD}){{0,2}}))?
    (?:,\s+(?P<date>{DATE.pattern}))?
    (?:\s*\((?P<source>[^\W\d_][\w .&'’-]{{0,39}})\))?
    (?P<separator>\s+{DASH}|\s*:)\s*
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Words that open sentences, and labels that stand where a dateline would.
NOT_PLACES = {
    "a", "after", "again", "also", "an", "and", "analysis", "before", "breaking",
    "but", "correction", "developing", "editor's", "even", "exclusive", "finally",
    "first", "he", "here", "however", "i", "if", "in", "instead", "it", "last",
    "later", "listen", "live", "meanwhile", "mr", "mrs", "ms", "dr", "no", "note",
    "now", "opinion", "or", "perhaps", "photo", "photos", "video", "watch",
    "she", "so", "still", "suddenly", "that", "the", "then", "there", "they",
    "this", "today", "tomorrow", "update", "updated", "urgent", "we", "well",
    "what", "when", "yes", "yesterday", "yet", "you",
    # Organisations written in capitals that open sentences as places would.
    "eu", "fbi", "cia", "nasa", "nato", "opec", "un", "uk", "us", "usa", "who",
}  # fmt: skip
SENTENCE_START = re.compile(r"[\"“‘'(\[]?[^\W_a-z]|[\"“‘'(\[]?\d", re.UNICODE)
PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.IGNORECASE | re.DOTALL)
TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")


@dataclass(frozen=True)
class Dateline:
    place: str
    date: str = ""
    source: str = ""


def split_dateline(text):
    """(Dateline, the rest of the text) when `text` opens with a dateline,
    else (None, text)."""
    match = OPENING.match(text)
    if match is None:
        return None, text
    rest = text[match.end() :]
    place, region = match["place"], match["region"]
    date, source = match["date"] or "", (match["source"] or "").strip()
    if not rest.strip() or not is_place(place) or (region and not is_place(region)):
        return None, text
    if match["separator"].strip() == ":" and not (source and place.isupper()):
        return None, text  # "OSLO (NTB):", but never "Photo:" or "WATCH:"
    if not (region or date or source) and not SENTENCE_START.match(rest):
        return None, text  # "NATO — the alliance said"
    if region:
        place = f"{place}, {region}"
    return Dateline(place, " ".join(date.split()), source), rest


def is_place(words_text):
    """Each word capitalised ("Paris", "Rio de Janeiro", "SAN FRANCISCO"), and
    the first no word that opens sentences."""
    words = words_text.split()
    if words[0].casefold().replace("’", "'").rstrip(".") in NOT_PLACES:
        return False
    return all(
        word[0].isupper() or (index and word.lower() in CONNECTORS)
        for index, word in enumerate(words)
    )


def parse_dateline(text):
    """A dateline a source gave on its own ("OSLO, March 1 (EXW)"), or None."""
    text = " ".join((text or "").split()).rstrip(" -–—―:,")
    if not text:
        return None
    found, _ = split_dateline(f"{text} — X")
    return found


def take_dateline(body):
    """(Dateline or None, body): the dateline that opens the body's first
    paragraph, and the body without it. Markup around the dateline
    ("<strong>CAIRO</strong> —") goes with it."""
    paragraph = PARAGRAPH.search(body)
    if paragraph is None or body[: paragraph.start()].strip():
        return None, body
    inner = paragraph[2]
    text = html.unescape(re.sub(r"<[^>]*>", "", inner))
    found, rest = split_dateline(text)
    if found is None:
        return None, body
    remaining = cut_text(inner, len(text) - len(rest))
    return found, body[: paragraph.end(1)] + remaining + body[paragraph.start(3) :]


def cut_text(inner, count):
    """`inner` HTML without its first `count` characters of text; the tags that
    held only those characters go too (a sanitizer drops any left unclosed)."""
    out, opened = [], []
    for tag, text in TAG_OR_TEXT.findall(inner):
        if count <= 0:
            out.append(tag or text)
        elif tag:
            if not tag.startswith("</"):
                opened.append(tag)
            elif opened:
                opened.pop()
        else:
            plain = html.unescape(text)
            if len(plain) > count:
                out.extend(opened)  # the rest is still inside them
                opened = []
                out.append(html.escape(plain[count:], quote=False))
            count -= len(plain)
    return "".join(out)


def read_dateline(item):
    """A parser's item with its dateline read into `dateline_place`, `_date`
    and `_source`: the one opening the body (which leaves the body), else the
    one the source gave apart from it. When both are there and name
    different places, the body is left as it is."""
    if not isinstance(item, ArticleRecord):
        return item
    # A marked "dateline" is sometimes the publication time: read, not trusted.
    given = parse_dateline(item.dateline)
    opening, body = take_dateline(item.body)
    if opening is not None and (
        given is None or same_place(given.place, opening.place)
    ):
        # The body's is the dateline as the story was written, agency and all.
        item.body, given = body, opening
    found = given
    if found is None or any(
        len(getattr(found, part)) > limit for part, limit in LIMITS.items()
    ):
        return item
    item.dateline_place, item.dateline_date = found.place, found.date
    item.dateline_source = found.source
    return item


def same_place(one, other):
    return one.split(",")[0].casefold() == other.split(",")[0].casefold()
