"""The encoding of an import file, decided once, and the file handed on as UTF-8.

The parsers read UTF-8. The encoding is found in the order the XML and HTML
specifications give: a byte order mark, then the XML declaration, then the
bytes themselves.

- A UTF-16 or UTF-32 file is recognised by its mark or, without one, by the
  zero bytes around the ASCII character every supported format starts with.
- Bytes that are valid UTF-8 are UTF-8, whatever the declaration says (a feed
  declaring ISO-8859-1 that was saved as UTF-8 is common).
- Otherwise the declaration is believed, with the names mapped as browsers
  map them (ISO-8859-1 is read as windows-1252, GB2312 as GB18030).
- With no declaration either, charset-normalizer guesses. When several
  single-byte encodings explain the bytes equally well (French read as
  windows-1250 turns "très" into "trčs"), windows-1252, the web's default,
  wins.

Anything that is not plain UTF-8 from its first byte (another encoding, a
mark, whitespace before `<?xml`) is decoded on the fly; its XML declaration
then says UTF-8, as the bytes now are. `Decision.note` says what was done
when the file did not say it plainly, for the import report.
"""

import codecs
import io
import re
from dataclasses import dataclass

import charset_normalizer

from .records import SourceError

CHUNK = 1 << 16
SAMPLE = 1 << 18  # bytes charset-normalizer looks at
# UTF-32's little-endian mark begins with UTF-16's, so it is looked for first.
MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What browsers do with these labels (the WHATWG Encoding Standard).
SUPERSETS = {
    "latin_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}
WEB_DEFAULT = "cp1252"
_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']+)["']""")
_DECLARED = re.compile(r"""^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


@dataclass
class Decision:
    codec: str  # a Python codec name
    note: str = ""  # for the report, when the file did not say it plainly
    decode: bool = True  # False: the bytes go to the parser as they are


def wide_encoding(head):
    """The codec of a UTF-16 or UTF-32 file without a mark, or None."""
    if len(head) < 4:
        return None
    a, b, c, d = head[:4]
    if 0 < a < 0x80 and not b and not c and not d:
        return "utf-32-le"
    if not a and not b and not c and 0 < d < 0x80:
        return "utf-32-be"
    if 0 < a < 0x80 and not b and 0 < c < 0x80 and not d:
        return "utf-16-le"
    if not a and 0 < b < 0x80 and not c and 0 < d < 0x80:
        return "utf-16-be"
    return None


def python_codec(label):
    """The Python codec for an encoding label, as browsers read it; None if unknown."""
    try:
        name = codecs.lookup(label.strip()).name.replace("-", "_")
    except LookupError:
        return None
    return SUPERSETS.get(name, name)


def is_utf8(stream):
    """Whether the whole stream is valid UTF-8, and whether it is all ASCII."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    ascii_only = True
    try:
        while data := stream.read(CHUNK):
            ascii_only = ascii_only and data.isascii()
            decoder.decode(data)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, False
    finally:
        stream.seek(0)
    return True, ascii_only


def guess(stream):
    """charset-normalizer's reading of the bytes, windows-1252 on a tie."""
    sample = stream.read(SAMPLE)
    stream.seek(0)
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return WEB_DEFAULT
    best = matches[0]
    for match in matches:
        tied = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tied and WEB_DEFAULT in match.could_be_from_charset:
            return WEB_DEFAULT
    return python_codec(best.encoding) or WEB_DEFAULT


def decide(stream):
    """How to read `stream` (a seekable binary file) as text."""
    head = stream.read(1024)
    stream.seek(0)
    for mark, codec in MARKS:
        if head.startswith(mark):
            return Decision(codec)
    if codec := wide_encoding(head):
        return Decision(codec)
    declaration = _DECLARATION.match(head)
    label = declaration.group(1).decode("ascii", "replace") if declaration else ""
    declared = python_codec(label) if label else None
    valid, ascii_only = is_utf8(stream)
    if valid and label and declared is None:
        # An encoding nobody knows ("U-TF-8"): the parser would refuse the
        # declaration itself, so the bytes are handed on with one that holds.
        return Decision(
            "utf-8", f"declares an unknown encoding {label!r}: read as UTF-8"
        )
    if valid:
        if declared in (None, "utf_8") or ascii_only:
            # Plain UTF-8 (or ASCII under any ASCII-compatible label) goes to the
            # parser as it is, unless it must be rewritten to start with `<?xml`.
            plain = head[:1] not in b" \t\r\n" and declared in (None, "utf_8")
            return Decision("utf-8", decode=not plain)
        return Decision("utf-8", f"declares {label} but is UTF-8: read as UTF-8")
    if declared:
        return Decision(declared)
    if label:
        note = f"declares an unknown encoding {label!r}"
    else:
        note = "declares no encoding and is not UTF-8"
    codec = guess(stream)
    return Decision(codec, f"{note}: read as {display_name(codec)} (detected)")


def display_name(codec):
    """'cp1252' -> 'windows-1252', as the encoding is known outside Python."""
    name = codecs.lookup(codec).name
    return f"windows-{name[2:]}" if re.fullmatch(r"cp12\d\d", name) else name


def as_utf8(stream):
    """(a UTF-8 reading of `stream`, the Decision that made it)."""
    decision = decide(stream)
    if not decision.decode:
        return stream, decision
    return io.BufferedReader(DecodedReader(stream, decision.codec), CHUNK), decision


class DecodedReader(io.RawIOBase):
    """The UTF-8 bytes of a stream in another encoding; seek(0) starts again.

    A byte order mark and whitespace before the XML declaration are dropped,
    and the declaration is made to say UTF-8.
    """

    def __init__(self, raw, codec):
        super().__init__()
        self.raw = raw
        self.codec = codec
        self.name = codecs.lookup(codec).name.upper()
        self._restart()

    def _restart(self):
        # Legacy encodings replace what they cannot map rather than losing the
        # whole file; Unicode encodings are strict (a broken file is refused).
        unicode = self.codec.startswith(("utf", "UTF"))
        errors = "strict" if unicode else "replace"
        self.decoder = codecs.getincrementaldecoder(self.codec)(errors)
        self.pending = b""
        self.position = 0
        self.started = False
        self.done = False

    def readable(self):
        return True

    def seekable(self):
        return self.raw.seekable()

    def seek(self, offset, whence=io.SEEK_SET):
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a decoded stream only seeks to its start")
        self.raw.seek(0)
        self._restart()
        return 0

    def tell(self):
        return self.position

    def readinto(self, buffer):
        while not self.pending and not self.done:
            data = self.raw.read(CHUNK)
            self.done = not data
            try:
                text = self.decoder.decode(data, final=self.done)
            except UnicodeDecodeError as exc:
                raise SourceError(f"not valid {self.name} text ({exc.reason})") from exc
            if not self.started:
                text = text.removeprefix("\ufeff").lstrip()
                if not text and not self.done:
                    continue
                self.started = True
                text = _DECLARED.sub(r"\1\2UTF-8\2", text)
            self.pending = text.encode()
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        self.position += size
        return size

    def close(self):
        if not self.closed:
            self.raw.close()
        super().close()
