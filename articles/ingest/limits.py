"""How large one imported record may be.

A feed item of 200 MB once took gigabytes to import and was then served whole
by every feed and API page. The limits are enforced while a file is read: a
record over one stops being kept (XML), or is stepped over without being
decoded (JSON, CSV), and fails with its position and sizes; the rest of the
file imports. Sizes are counted in characters of text (for ASCII, bytes).

- the body: NEWSROOM_IMPORT_MAX_BODY (2 MB);
- any other field (headline, byline, tag, caption, link, …): NEWSROOM_IMPORT_MAX_FIELD
  (64 KB), before the loader's own, smaller length checks;
- a whole record: twice the body limit.
"""

from django.conf import settings

KB = 1 << 10
MB = 1 << 20


def body_limit():
    return settings.NEWSROOM_IMPORT_MAX_BODY


def field_limit():
    return settings.NEWSROOM_IMPORT_MAX_FIELD


def record_limit():
    return 2 * body_limit()


def describe(size):
    """A size for a message: "210 MB", "80.5 KB", "900 characters"."""
    for unit, name in ((MB, "MB"), (KB, "KB")):
        if size >= unit:
            return f"{size / unit:.1f}".removesuffix(".0") + f" {name}"
    return f"{size} characters"


def too_big(what, size, limit):
    """The reason a record is refused: "body is 210 MB, over the 2 MB limit"."""
    if describe(size) == describe(limit):  # just over: rounding would hide it
        return f"{what} is {size:,} characters, over the {limit:,}-character limit"
    return f"{what} is {describe(size)}, over the {describe(limit)} limit"


def oversized(record):
    """Why a parsed record is too large to load (the body or its picture's
    text), or "". Other fields have the loader's smaller length checks."""
    if len(record.body) > body_limit():
        return too_big("body", len(record.body), body_limit())
    image = record.image
    if image is not None:
        for what in ("caption", "credit", "alt", "href"):
            value = getattr(image, what)
            if len(value) > field_limit():
                return too_big(f"image {what}", len(value), field_limit())
    return ""
