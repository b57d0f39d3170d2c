"""Plain-text pages scraped from news sites.

The shape: a `date YYYY-MM-DD ...` line, the site's own date line, the
headline, the deck, the headline again (often with straight quotes where the
first had curly ones), body paragraphs with short title-like lines as
crossheads, and a final run-on line of tags ("2024 US Election donald trump
RUSSIAN PRESIDENT PUTIN"). The identity is a hash of the date and headline, so
the same page found under another file name is the same article.
"""

import hashlib
import html
import io
import re
from datetime import date, datetime

from ..records import ArticleRecord, SourceError
from .fields import clean_text, site_zone

FIRST_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b", re.I)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november"
    "|december"
)
SITE_DATE = re.compile(rf"^\s*(\w+,\s*)?({MONTHS})\s+\d{{1,2}},\s*\d{{4}}\s*$", re.I)
SENTENCE_END = re.compile(r"[.!?:;,…][\"”’'»)\]]*$")
MAX_CHARS = 5 * 1024 * 1024


def looks_scraped(head):
    return bool(FIRST_LINE.match(head.lstrip("\ufeff").split("\n", 1)[0]))


def parse(stream, *, known_tags=lambda line: (), zone=None):
    raw = stream.read(MAX_CHARS + 1)
    if len(raw) > MAX_CHARS:
        raise SourceError("the page is larger than 5 MB")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    lines = [clean_text(line) for line in io.StringIO(content)]
    units = [(n, line) for n, line in enumerate(lines, 1) if line]
    if not units:
        raise SourceError("the file is empty")
    match = FIRST_LINE.match(units[0][1])
    if not match:
        raise SourceError("not a scraped page: the first line is not 'date YYYY-MM-DD'")
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError as exc:
        raise SourceError(f"unreadable date {match.group(1)!r}", "line 1") from exc
    units = units[1:]
    if units and SITE_DATE.match(units[0][1]):
        units = units[1:]
    if not units:
        raise SourceError("the page has no headline")
    record = ArticleRecord(position=f"line {units[0][0]}")
    record.headline = units[0][1]
    units = units[1:]
    key = quote_key(record.headline)
    if units and quote_key(units[0][1]) != key:
        record.deck = units[0][1]
        units = units[1:]
    units = [u for u in units if quote_key(u[1]) not in (key, quote_key(record.deck))]
    if units and is_tag_line(units[-1][1]):
        record.tags = split_tag_line(units[-1][1], known_tags(units[-1][1]))
        units = units[:-1]
    parts = []
    for _, line in units:
        tag = "h2" if is_crosshead(line) else "p"
        parts.append(f"<{tag}>{html.escape(line, quote=False)}</{tag}>")
    record.body = "".join(parts)
    zone = zone or site_zone()
    record.published_at = datetime(day.year, day.month, day.day, tzinfo=zone)
    record.published_date_only = True  # a page gives the day; no time is invented
    record.status = "published"
    identity = f"{day.isoformat()}|{key}".encode()
    record.source_uri = "scraped:sha256:" + hashlib.sha256(identity).hexdigest()
    yield record


def quote_key(text):
    """Text compared with quotes straightened and case folded."""
    table = str.maketrans("‘’‚‛“”„‟«»", '\'\'\'\'""""""')
    return " ".join(text.translate(table).casefold().split())


def is_crosshead(line):
    words = line.split()
    if not words or len(words) > 10 or len(line) > 80 or SENTENCE_END.search(line):
        return False
    capitalised = [
        w for w in words if w[:1].isupper() or w[:1] in "‘“'\"" and w[1:2].isupper()
    ]
    return len(capitalised) >= max(1, len(words) * 0.6)


def is_tag_line(line):
    return len(line) <= 300 and not SENTENCE_END.search(line)


def case_of(word):
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "neutral"
    if all(c.isupper() for c in letters):
        return "upper"
    if all(c.islower() for c in letters):
        return "lower"
    return "title"


def split_tag_line(line, known_tags=()):
    """Split a run-on tag line: known tag names first (longest first, matched
    case-insensitively), then runs of words of the same letter case."""
    pieces = [line]
    for name in sorted(known_tags, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)
        next_pieces = []
        for piece in pieces:
            if isinstance(piece, tuple):
                next_pieces.append(piece)
                continue
            last = 0
            for match in pattern.finditer(piece):
                next_pieces.append(piece[last : match.start()])
                next_pieces.append((match.group(0),))
                last = match.end()
            next_pieces.append(piece[last:])
        pieces = next_pieces
    tags = []
    for piece in pieces:
        if isinstance(piece, tuple):
            tags.append(piece[0])
        else:
            tags.extend(case_runs(piece))
    return [t for t in tags if t.strip()]


def case_runs(text):
    words = text.split()
    kinds = [case_of(w) for w in words]
    # A lone capitalised acronym ("US") among title-case words reads as title case.
    for i, kind in enumerate(kinds):
        if kind == "upper":
            before = kinds[i - 1] if i else None
            after = kinds[i + 1] if i + 1 < len(kinds) else None
            if before != "upper" and after != "upper":
                kinds[i] = "title"
    runs, current, current_kind = [], [], None
    for word, kind in zip(words, kinds, strict=True):
        if kind == "neutral":
            current.append(word)
            continue
        if current_kind not in (None, kind):
            # Numbers at the end of a run go with the next run ("2024 US Election").
            trailing = []
            while current and case_of(current[-1]) == "neutral":
                trailing.insert(0, current.pop())
            if current:
                runs.append(" ".join(current))
            current = trailing
        current.append(word)
        current_kind = kind
    if current:
        runs.append(" ".join(current))
    return runs
