"""IPTC ninjs files: one object, an array of objects, or JSON Lines.

JSON Lines are read line by line; arrays and single objects one item at a
time from a rolling buffer: the item's end is found first (by its brackets
and strings, without decoding it), then it is decoded once. An item over the
record limit (see limits.py) is stepped over without being kept or decoded,
so memory follows the limit, not the file or the item. The field mapping
lives in articles/ingest/ninjs.py.
"""

import codecs
import json
import re

from ..limits import record_limit, too_big
from ..ninjs import record_from_ninjs
from ..records import Failed, SourceError

CHUNK = 1 << 16
_OUTSIDE = re.compile(r'[^"\[\]{}]*')  # up to the next string or bracket
_INSIDE = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S)  # up to a string's end
_SCALAR = re.compile(r"[^\s,\]}]*")  # a number, true, false or null


def parse(stream, *, zone=None):
    """Yield records from a binary stream of ninjs."""
    reader = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    head = _read(stream, reader)
    stripped = head.lstrip()
    if not stripped:
        raise SourceError("the file is empty")
    if stripped[0] not in "[{":
        raise SourceError("not JSON: ninjs starts with '{' or '['")
    first_line = stripped.split("\n", 1)[0].strip()
    if stripped[0] == "{" and _is_json_object(first_line):
        yield from _json_lines(head, stream, reader, zone)
    else:
        yield from _json_values(head, stream, reader, zone)


def _read(stream, reader):
    try:
        return reader.decode(stream.read(CHUNK), final=False)
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _is_json_object(line):
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _record(text, position, zone):
    try:
        item = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        return Failed(position, "JSON nested too deeply")
    except ValueError as exc:
        return Failed(position, f"not valid JSON: {exc}")
    try:
        return record_from_ninjs(item, position, zone)
    except (ValueError, RecursionError) as exc:
        return Failed(position, str(exc))


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _json_lines(head, stream, reader, zone):
    limit = record_limit()
    pending = head
    number = 0
    skipped = None  # characters of an over-long line stepped over so far
    while True:
        if skipped is not None:
            end = pending.find("\n")
            skipped += len(pending) if end < 0 else end
            if end >= 0:
                number += 1
                yield Failed(f"line {number}", too_big("the record", skipped, limit))
                pending, skipped = pending[end + 1 :], None
            else:
                pending = ""
        lines = pending.split("\n")
        pending = lines.pop()
        for line in lines:
            number += 1
            if len(line) > limit:
                yield Failed(f"line {number}", too_big("the record", len(line), limit))
            elif line.strip():
                yield _record(line, f"line {number}", zone)
        if skipped is None and len(pending) > limit:
            skipped, pending = len(pending), ""
        chunk = _read(stream, reader)
        if not chunk:
            break
        pending += chunk
    if skipped is not None:
        yield Failed(f"line {number + 1}", too_big("the record", skipped, limit))
    elif pending.strip():
        yield _record(pending, f"line {number + 1}", zone)


class ValueEnd:
    """Finds where one JSON value ends, without decoding it, across chunks."""

    def __init__(self):
        self.depth = 0
        self.in_string = False
        self.scalar = False

    def scan(self, text, pos):
        """(position reached, whether the value ended there)."""
        if self.scalar:
            pos = _SCALAR.match(text, pos).end()
            return pos, pos < len(text)
        while pos < len(text):
            if self.in_string:
                pos = _INSIDE.match(text, pos).end()
                if pos >= len(text) or text[pos] == "\\":
                    return pos, False  # the string goes on (maybe an escape)
                pos += 1
                self.in_string = False
                if not self.depth:
                    return pos, True
                continue
            if not self.depth and text[pos] not in '"[{':
                self.scalar = True
                return self.scan(text, pos)
            pos = _OUTSIDE.match(text, pos).end()
            if pos >= len(text):
                break
            char = text[pos]
            pos += 1
            if char == '"':
                self.in_string = True
            elif char in "[{":
                self.depth += 1
            else:
                self.depth -= 1
                if self.depth <= 0:
                    return pos, True
        return pos, False


def _json_values(head, stream, reader, zone):
    """A single object, or the items of a top-level array, one at a time."""
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    limit = record_limit()
    buffer, pos, eof = head, 0, False

    def more():
        nonlocal buffer, pos, eof
        chunk = _read(stream, reader)
        if not chunk:
            eof = True
        buffer = buffer[pos:] + chunk
        pos = 0

    def skip(chars):
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in chars:
                pos += 1
            if pos < len(buffer) or eof:
                return
            more()

    skip(" \t\r\n")
    in_array = buffer[pos] == "["
    if in_array:
        pos += 1
    number = 0
    while True:
        skip(" \t\r\n,") if in_array else skip(" \t\r\n")
        if pos >= len(buffer):
            if in_array:
                raise SourceError(
                    "the file ends before the array is closed (truncated?)"
                )
            return
        if in_array and buffer[pos] == "]":
            return
        number += 1
        position = f"item {number}" if in_array else f"object {number}"
        value_end, scanned, ended, stepped_over = ValueEnd(), pos, False, 0
        while not ended:
            scanned, ended = value_end.scan(buffer, scanned)
            if not ended and scanned - pos + stepped_over > limit:
                # Too large: nothing more of it is kept, only counted.
                stepped_over += scanned - pos
                pos = scanned
            if ended or eof:
                break
            scanned -= pos
            more()
        size = stepped_over + scanned - pos
        if size > limit:
            yield Failed(position, too_big("the record", size, limit))
            pos = scanned
            continue
        try:
            item, end = decoder.raw_decode(buffer, pos)
        except RecursionError as exc:
            raise SourceError("JSON nested too deeply", position) from exc
        except ValueError as exc:
            raise SourceError(f"not valid JSON: {exc}", position) from exc
        pos = end
        try:
            yield record_from_ninjs(item, position, zone)
        except (ValueError, RecursionError) as exc:
            yield Failed(position, str(exc))
        if pos > CHUNK:
            buffer, pos = buffer[pos:], 0
