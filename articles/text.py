"""The one input policy for text: what any text field may hold once stored.

Every text field passes through it, whether typed in the admin or imported:
the model fields at the end of this module apply it to every value validated
or written (bulk inserts too), the importers' `clean_text`/`clean_html` call it
(so a re-import compares like with like), and `sanitize_body` applies
`clean_markup` to the body after the HTML allowlist.

- Line breaks are normalised: CR LF, CR, VT, FF, NEL, U+2028 and U+2029 are
  each one line break (VT is a manual line break in word processors' text).
- Other C0 and C1 control characters are removed (tab and newline stay), and so
  are Unicode non-characters (U+FDD0-U+FDEF and the last two code points of
  every plane, U+xFFFE/U+xFFFF) and lone surrogates. None of them is text, XML
  1.0 refuses most of them, and PostgreSQL refuses NUL and surrogates.
- Bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069) can reverse the text that follows them, such as a link or the
  next headline in a feed reader. Single-line fields (headlines, decks, names,
  slugs, tags, captions, alt text, credits, section descriptions) drop them,
  and their line breaks and tabs become spaces. Prose (biographies, correction
  notes, the body) keeps them isolated: each block (a line of plain text; a
  paragraph, heading, list item, quote or table cell of HTML) closes, at its
  end, every embedding, override or isolate it opened, and a closer with
  nothing open is dropped. So a right-to-left quotation works, and whatever
  follows the block is unaffected. Marks (U+200E LRM, U+200F RLM, U+061C ALM)
  open nothing and are kept.
"""

import re

from django.db import models

LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: closed by PDF
ISOLATES = "\u2066\u2067\u2068"  # LRI, RLI, FSI: closed by PDI
PDF, PDI = "\u202c", "\u2069"
BIDI_CONTROLS = EMBEDDINGS + ISOLATES + PDF + PDI

# Regular expressions rather than str.translate: sre scans a character class at
# a few nanoseconds a character, several times faster than a translate table
# outside ASCII, and the importer runs every field through here.
_NOT_TEXT_BMP = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
)
_NOT_TEXT_ASTRAL = "".join(
    f"{chr(plane + 0xFFFE)}-{chr(plane + 0xFFFF)}"
    for plane in range(0x10000, 0x110000, 0x10000)
)
# Astral characters are matched by a range first and only then checked against
# the sixteen pairs of non-characters: a class listing them is ten times slower.
_NOT_TEXT = re.compile(
    f"[{_NOT_TEXT_BMP}\U00010000-\U0010ffff](?<=[{_NOT_TEXT_BMP}{_NOT_TEXT_ASTRAL}])"
)
_NOT_LINE = re.compile(
    f"[{_NOT_TEXT_BMP}{BIDI_CONTROLS}\U00010000-\U0010ffff]"
    f"(?<=[{_NOT_TEXT_BMP}{BIDI_CONTROLS}{_NOT_TEXT_ASTRAL}])"
)
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
_LINE_SPACE = re.compile(f"[\t\n{LINE_BREAKS}]")
# Fast paths: text made only of these characters needs no change. Anything
# else (astral characters too) takes the exact path above.
_PROSE_SUSPECT = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]"
)
_LINE_SUSPECT = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]"
)
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
# A tag as the HTML sanitizer writes it (attribute values double-quoted).
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
# Elements inside a block: a bidi control may stay open across them.
INLINE_ELEMENTS = {
    "a", "abbr", "b", "br", "cite", "code", "em", "i", "img", "q", "s", "strong",
    "sub", "sup", "u",
}  # fmt: skip


def clean_line(value):
    """Text for a single-line field: no controls, non-characters, surrogates or
    bidi controls; line breaks and tabs become spaces; no surrounding space."""
    if _LINE_SUSPECT.search(value):
        value = _LINE_SPACE.sub(" ", value.replace("\r\n", "\n"))
        value = _NOT_LINE.sub("", value)
    return value.strip()


def clean_characters(value):
    """Text with line breaks normalised to LF and the characters that are never
    text (controls other than tab and LF, non-characters, surrogates) removed."""
    if _PROSE_SUSPECT.search(value):
        value = _LINE_BREAK.sub("\n", value.replace("\r\n", "\n"))
        value = _NOT_TEXT.sub("", value)
    return value


def clean_prose(value):
    """Multi-line plain text: clean_characters, and every line closes the
    embeddings, overrides and isolates it opened."""
    if not _PROSE_SUSPECT.search(value):
        return value.strip()
    value = clean_characters(value)
    if _BIDI.search(value):
        value = "\n".join(_balance(line) for line in value.split("\n"))
    return value.strip()


def clean_markup(html):
    """Sanitized HTML: clean_characters; bidi controls dropped inside tags and
    balanced within each block of text."""
    if not _PROSE_SUSPECT.search(html):
        return html
    html = clean_characters(html)
    if not _BIDI.search(html):
        return html
    parts = []
    block = _Balancer()
    for piece in _TAG.split(html):
        if not piece.startswith("<"):
            parts.append(block.feed(piece))
            continue
        name = _TAG_NAME.match(piece)
        if not name or name.group(1).lower() not in INLINE_ELEMENTS:
            parts.append(block.close())
        parts.append(piece.translate(_NO_BIDI))
    parts.append(block.close())
    return "".join(parts)


def _balance(text):
    block = _Balancer()
    return block.feed(text) + block.close()


class _Balancer:
    """Tracks the bidi controls open in one block of text."""

    def __init__(self):
        self.open = []  # PDF or PDI for each opener, innermost last

    def feed(self, text):
        """`text` with closers that match nothing dropped."""
        if not _BIDI.search(text):
            return text
        out = []
        for char in text:
            if char in EMBEDDINGS:
                self.open.append(PDF)
            elif char in ISOLATES:
                self.open.append(PDI)
            elif char == PDF:
                # A PDF closes the innermost embedding, never across an isolate.
                if not self.open or self.open[-1] != PDF:
                    continue
                self.open.pop()
            elif char == PDI:
                # A PDI closes its isolate and whatever was opened inside it.
                if PDI not in self.open:
                    continue
                while self.open[-1] != PDI:
                    out.append(self.open.pop())
                self.open.pop()
            out.append(char)
        return "".join(out)

    def close(self):
        """The closers of everything still open, innermost first."""
        closers = "".join(reversed(self.open))
        self.open.clear()
        return closers


class TextPolicyField:
    """A model field mixin: the field's text follows `policy` wherever it goes.

    `to_python()` applies it, and Django calls that in `full_clean()` (admin
    forms and inlines) and in `get_prep_value()` (every value written, by
    `save()`, `bulk_create()` or `update()`, and every lookup, which so finds
    what was stored). `pre_save()` keeps the instance in step with the row.
    """

    policy = staticmethod(str)

    def to_python(self, value):
        value = super().to_python(value)
        return self.policy(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            value = self.policy(value)
            setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        # Migrations record the plain Django field: the policy changes what is
        # written, never the column.
        name, path, args, kwargs = super().deconstruct()
        base = next(c for c in type(self).__mro__ if c.__module__.startswith("django."))
        return name, f"django.db.models.{base.__name__}", args, kwargs


class LineField(TextPolicyField, models.CharField):
    policy = staticmethod(clean_line)


class LineTextField(TextPolicyField, models.TextField):
    """A TextField shown as one line (a deck, a caption)."""

    policy = staticmethod(clean_line)


class LineSlugField(TextPolicyField, models.SlugField):
    policy = staticmethod(clean_line)


class LineURLField(TextPolicyField, models.URLField):
    policy = staticmethod(clean_line)


class ProseField(TextPolicyField, models.TextField):
    policy = staticmethod(clean_prose)
