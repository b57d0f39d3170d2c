"""What an import reads: files, folders or standard input, and their parsers.

    for source in sources(paths):           # files, folders, "-" for stdin
        fmt = source.format(forced)        # detected by content
        for item in source.records(fmt):  # ArticleRecord / Skipped / Failed
            loader.handle(item, source)

Parsers only parse (no ORM); the loader (batches.py) validates, sanitizes and
upserts, and imports.py runs the two.
"""

import io
import sys
from pathlib import Path

from .detect import SNIFF_BYTES, detect
from .encoding import as_utf8
from .parsers import feeds, newsml, ninjs, pages, scraped, table, wxr
from .parsers.datelines import read_dateline

PARSERS = {
    "ninjs": ninjs.parse,
    "newsml": newsml.parse,
    "wxr": wxr.parse,
    "rss": feeds.parse_rss,
    "atom": feeds.parse_atom,
    "csv": table.parse,
    "text": scraped.parse,
    "html": pages.parse,
}


class Source:
    """One file to import (or standard input)."""

    def __init__(self, path, *, from_folder=False):
        self.path = path
        self.from_folder = from_folder  # unknown files in folders are skipped
        self.encoding_note = ""  # how the encoding was decided, if not plainly

    def __str__(self):
        return "<stdin>" if self.path == "-" else str(self.path)

    def open(self):
        """The file as a binary stream of UTF-8 (see encoding.py)."""
        if self.path == "-":
            # Detection needs to peek, and WXR reads twice: buffer stdin in memory.
            raw = io.BytesIO(sys.stdin.buffer.read())
        else:
            raw = open(self.path, "rb")  # noqa: SIM115 (the caller's `with` closes it)
        try:
            stream, decision = as_utf8(raw)
        except BaseException:
            raw.close()
            raise
        self.encoding_note = decision.note
        return stream

    def format(self, stream, forced="auto"):
        if forced and forced != "auto":
            return forced
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        return detect(head)

    def records(self, stream, fmt, known_tags=None, zone=None):
        """The parser's items, their datelines read; times without a zone are
        read in `zone` (by default the site's)."""
        if fmt == "text":
            items = PARSERS["text"](
                stream, known_tags=known_tags or (lambda line: ()), zone=zone
            )
        else:
            items = PARSERS[fmt](stream, zone=zone)
        return map(read_dateline, items)


def sources(paths):
    """Sources for files, folders (recursively, hidden files left out) and "-"."""
    for path in paths:
        if str(path) == "-":
            yield Source("-")
            continue
        path = Path(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(
                    p.startswith(".") for p in relative.parts
                ):
                    yield Source(child, from_folder=True)
        else:
            yield Source(path)
