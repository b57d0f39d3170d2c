"""UTF-16 and UTF-32 import files, handed to the parsers as UTF-8.

The parsers read UTF-8 (the XML ones also honour a declared single-byte
encoding). A UTF-16 or UTF-32 file is recognised by its byte order mark or,
without one, by the zero bytes around the ASCII character that every supported
format starts with ("<", "{", "[", a CSV header, "date"), and is decoded on
the fly; its XML declaration then says UTF-8, as the bytes now are.
"""

import codecs
import io
import re

from .records import SourceError

CHUNK = 1 << 16
# UTF-32's little-endian mark begins with UTF-16's, so it is looked for first.
MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(r"""^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


def wide_encoding(head):
    """The codec of a UTF-16 or UTF-32 file from its first four bytes, or None."""
    for mark, codec in MARKS:
        if head.startswith(mark):
            return codec
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


def as_utf8(stream):
    """`stream` itself, or a UTF-8 reading of it when it is UTF-16 or UTF-32."""
    head = stream.read(4)
    stream.seek(0)
    codec = wide_encoding(head)
    if codec is None:
        return stream
    return io.BufferedReader(WideReader(stream, codec), CHUNK)


class WideReader(io.RawIOBase):
    """The UTF-8 bytes of a UTF-16 or UTF-32 stream; seek(0) starts again."""

    def __init__(self, raw, codec):
        super().__init__()
        self.raw = raw
        self.codec = codec
        self.name = "UTF-16" if codec.startswith("utf-16") else "UTF-32"
        self._restart()

    def _restart(self):
        # A byte order mark is dropped by the "utf-16"/"utf-32" codecs; with a
        # fixed byte order, one written anyway is dropped here.
        self.decoder = codecs.getincrementaldecoder(self.codec)("strict")
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
            if text and not self.started:
                self.started = True
                text = _DECLARED.sub(r"\1\2UTF-8\2", text.removeprefix("\ufeff"))
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
