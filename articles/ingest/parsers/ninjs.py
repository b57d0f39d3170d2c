"""IPTC ninjs files: one object, an array of objects, or JSON Lines.

JSON Lines are read line by line; arrays and single objects are decoded one
item at a time from a rolling buffer, so memory follows the largest item, not
the file. The field mapping lives in articles/ingest/ninjs.py.
"""

import codecs
import json

from ..ninjs import record_from_ninjs
from ..records import Failed, SourceError

CHUNK = 1 << 16
MAX_ITEM_CHARS = 64 << 20  # one ninjs item larger than this is refused


def parse(stream):
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
        yield from _json_lines(head, stream, reader)
    else:
        yield from _json_values(head, stream, reader)


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


def _record(text, position):
    try:
        item = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        return Failed(position, "JSON nested too deeply")
    except ValueError as exc:
        return Failed(position, f"not valid JSON: {exc}")
    try:
        return record_from_ninjs(item, position)
    except (ValueError, RecursionError) as exc:
        return Failed(position, str(exc))


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _json_lines(head, stream, reader):
    pending = head
    number = 0
    while True:
        while "\n" in pending:
            line, pending = pending.split("\n", 1)
            number += 1
            if line.strip():
                yield _record(line, f"line {number}")
        if len(pending) > MAX_ITEM_CHARS:
            raise SourceError("a line is too long", f"line {number + 1}")
        chunk = _read(stream, reader)
        if not chunk:
            break
        pending += chunk
    if pending.strip():
        yield _record(pending, f"line {number + 1}")


def _json_values(head, stream, reader):
    """A single object, or the items of a top-level array, one at a time."""
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    buffer, pos, eof = head, 0, False
    line = 1

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
        while True:
            try:
                item, end = decoder.raw_decode(buffer, pos)
                break
            except RecursionError as exc:
                raise SourceError("JSON nested too deeply", position) from exc
            except ValueError as exc:
                if eof:
                    raise SourceError(f"not valid JSON: {exc}", position) from exc
                if len(buffer) - pos > MAX_ITEM_CHARS:
                    raise SourceError("an item is too large", position) from exc
                more()
        line += buffer.count("\n", pos, end)
        pos = end
        try:
            yield record_from_ninjs(item, position)
        except (ValueError, RecursionError) as exc:
            yield Failed(position, str(exc))
        if pos > CHUNK:
            buffer, pos = buffer[pos:], 0
