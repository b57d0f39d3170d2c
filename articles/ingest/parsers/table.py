"""CSV files with the header documented in docs/import-formats.md.

One article per row; `source_uri` and `headline` are required columns. Rows
are read one at a time. A UTF-8 byte order mark is accepted.
"""

import codecs
import csv

from ..records import ArticleRecord, Failed, ImageRecord, SourceError
from .fields import add_byline, body_html, clean_text, date_field, strip_tags

COLUMNS = (
    "source_uri", "headline", "deck", "body", "published_at", "status", "authors",
    "tags", "section", "kicker", "credit", "language", "canonical_url", "image",
    "image_caption", "image_credit", "image_alt",
)  # fmt: skip
REQUIRED = ("source_uri", "headline")
STATUSES = {"published", "draft", "review", "withdrawn"}
MAX_FIELD = 10 * 1024 * 1024  # a body up to 10 MB; csv's default is 128 kB


def parse(stream):
    reader_stream = codecs.getreader("utf-8-sig")(stream, errors="strict")
    csv.field_size_limit(MAX_FIELD)
    rows = csv.reader(_lines(reader_stream))
    try:
        header = next(rows, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"not a readable CSV file: {exc}", "line 1") from exc
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
    line = 1
    while True:
        start = line + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"not UTF-8 text ({exc.reason})", f"line {start}"
            ) from exc
        except csv.Error as exc:
            raise SourceError(f"unreadable CSV: {exc}", f"line {start}") from exc
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        position = f"line {start}"
        if len(row) != len(header):
            yield Failed(position, f"expected {len(header)} columns, found {len(row)}")
            continue
        yield record_from_row(dict(zip(header, row, strict=True)), position)


def _lines(stream):
    yield from stream


def record_from_row(row, position):
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
    record.published_at = date_field(record, get("published_at"), "published_at")
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
