"""CSV files with the header documented in docs/import-formats.md.

One article per row; `source_uri` and `headline` are required columns. Rows
are read one at a time, in pieces, so a row over the record limit (see
limits.py) is stepped over without being kept. A UTF-8 byte order mark is
accepted.
"""

import csv
import io
import re

from ..limits import record_limit, too_big
from ..records import ArticleRecord, Failed, ImageRecord, SourceError
from .bylines import add_byline
from .dates import date_of
from .fields import body_html, clean_text, strip_tags

COLUMNS = (
    "source_uri", "headline", "deck", "body", "published_at", "status", "authors",
    "tags", "section", "kicker", "credit", "language", "canonical_url", "image",
    "image_caption", "image_credit", "image_alt",
)  # fmt: skip
REQUIRED = ("source_uri", "headline")
STATUSES = {"published", "draft", "review", "withdrawn"}
PIECE = 1 << 16  # characters read at a time, so a long line is never read whole
_QUOTED = re.compile(r'[^"]*(?:""[^"]*)*')  # inside quotes: up to a lone quote
_UNQUOTED = re.compile(r"[^,\r\n]*")  # outside quotes: up to a comma or line end


def parse(stream, *, zone=None):
    limit = record_limit()
    csv.field_size_limit(limit)  # a field can be as large as its record
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        yield from _parse(_rows(text, limit), limit, zone)
    finally:
        text.detach()  # the caller closes the file


def _parse(rows, limit, zone):
    first = next(rows, None)
    if first is not None and first[1] is None:
        raise SourceError(
            f"not a readable CSV file: {too_big('the header', first[2], limit)}",
            "line 1",
        )
    header = first[1] if first else None
    if not header or not any(h.strip() for h in header):
        raise SourceError("the file is empty")
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(
            f"not an article CSV: the header lacks {', '.join(missing)} "
            f"(see docs/import-formats.md)",
            "line 1",
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise SourceError(f"unknown CSV columns: {', '.join(unknown)}", "line 1")
    for start, row, size in rows:
        position = f"line {start}"
        if row is None:
            yield Failed(position, too_big("the record", size, limit))
        elif not any(cell.strip() for cell in row):
            continue
        elif len(row) != len(header):
            yield Failed(position, f"expected {len(header)} columns, found {len(row)}")
        else:
            yield record_from_row(dict(zip(header, row, strict=True)), position, zone)


def _rows(text, limit):
    """(first line, cells, size) for each row; cells are None for a row over
    `limit`, which was read past without being kept."""
    for start, chunk, size in _records(text, limit):
        if chunk is None:
            yield start, None, size
            continue
        try:
            for row in csv.reader(io.StringIO(chunk, newline="")):
                yield start, row, size
        except csv.Error as exc:
            what = "not a readable CSV file" if start == 1 else "unreadable CSV"
            raise SourceError(f"{what}: {exc}", f"line {start}") from exc


def _records(text, limit):
    """(first line, text or None, size) for each CSV record, split where the
    csv module would end it; text is None when the record is over `limit`."""
    line, after_cr = 1, False
    while True:
        start, parts, size, ends = line, [], 0, RecordEnd()
        while True:
            try:
                piece = text.readline(PIECE)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"not UTF-8 text ({exc.reason})", f"line {line}"
                ) from exc
            if not piece:
                break
            size += len(piece)
            if size > limit:
                parts = None
            elif parts is not None:
                parts.append(piece)
            if piece.endswith(("\n", "\r")) and not (after_cr and piece == "\n"):
                line += 1  # (a "\r\n" split between two pieces is one line end)
            after_cr = piece.endswith("\r")
            if ends.reached(piece):
                break
        if not size:
            return
        yield start, "".join(parts) if parts is not None else None, size


class RecordEnd:
    """Follows CSV quoting as the csv module reads it (a quote opens a quoted
    field only at the start of a field) to tell where a record ends."""

    def __init__(self):
        self.quoted = False
        self.field_start = True
        self.quote_last = False  # a quote ended the last piece, inside quotes

    def reached(self, piece):
        """Follow one more piece of the record; True if the record ends with it."""
        pos, size = 0, len(piece)
        if self.quote_last:
            self.quote_last = False
            if piece.startswith('"'):
                pos = 1  # the second quote of an escaped one: still quoted
            else:
                self.quoted = False
        while pos < size:
            if self.quoted:
                pos = _QUOTED.match(piece, pos).end()
                if pos + 1 >= size:
                    self.quote_last = pos < size
                    break
                self.quoted = False
                pos += 1
            elif self.field_start and piece[pos] == '"':
                self.quoted = True
                self.field_start = False
                pos += 1
            else:
                pos = _UNQUOTED.match(piece, pos).end()
                self.field_start = pos < size  # after a comma or a line end
                pos += 1
        return not (self.quoted or self.quote_last) and piece.endswith(("\n", "\r"))


def record_from_row(row, position, zone=None):
    get = row.get
    record = ArticleRecord(position=position, source_uri=clean_text(get("source_uri")))
    if not record.source_uri:
        record.problems.append("source_uri is empty")
    record.headline = clean_text(get("headline"))
    record.deck = strip_tags(get("deck") or "")
    record.body = body_html(get("body") or "")
    record.kicker = clean_text(get("kicker"))
    record.credit = clean_text(get("credit"))
    record.language = clean_text(get("language"))
    record.canonical_url = clean_text(get("canonical_url"))
    status = clean_text(get("status")).lower()
    if status and status not in STATUSES:
        record.problems.append(
            f"status {status!r} is not one of {', '.join(sorted(STATUSES))}"
        )
    record.status = status or "published"
    record.published_at, record.published_date_only = date_of(
        record, get("published_at"), "published_at", zone
    )
    add_byline(record, get("authors") or "")
    record.tags = [clean_text(t) for t in (get("tags") or "").split(";")]
    record.section = [clean_text(get("section"))] if clean_text(get("section")) else []
    image = clean_text(get("image"))
    if image:
        record.image = ImageRecord(
            source_uri=image[:500],
            href=image,
            caption=clean_text(get("image_caption")),
            credit=clean_text(get("image_credit")),
            alt=clean_text(get("image_alt")) or clean_text(get("image_caption")),
            renditions=[{"name": "original", "href": image}],
        )
    return record
