"""Pictures inside a body: tracking pixels dropped, the lead picture lifted.

Feeds often open a description with the story's picture (`<img …><br>` then
the lead). That picture is the story's hero when the item names no better
one; left in the body it would be shown twice.
"""

import html
import re

from articles.text import clean_line

from ..records import ImageRecord

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(
    r"""([a-z][\w:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I
)
# What may come before the lead picture: whitespace, opening wrappers, breaks.
_OPENING = re.compile(r"^(?:\s|<(?:p|div|a|span|figure)\b[^>]*>|<br\s*/?>)*", re.I)
_AFTER_LEAD = re.compile(r"^(?:\s|</a>|<br\s*/?>)*", re.I)
_FIGCAPTION = re.compile(r"^\s*<figcaption\b[^>]*>(.*?)</figcaption>", re.I | re.S)


def clean_text(value):
    # fields.clean_text without the mojibake repair: fields imports this module.
    return " ".join(clean_line(value or "").split())


def attributes(tag):
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(tag)
    }


def is_tracking_pixel(attrs):
    """A 1×1 (or 0×0) image: a counter for the sender, nothing to see."""
    return attrs.get("width", "").strip() in ("0", "1") and attrs.get(
        "height", ""
    ).strip() in ("0", "1")


def drop_tracking_pixels(body):
    if "<img" not in body and "<IMG" not in body:
        return body
    return _IMG.sub(
        lambda m: "" if is_tracking_pixel(attributes(m.group(0))) else m.group(0), body
    )


def lift_lead_image(body):
    """(ImageRecord or None, the body without it) when the body opens with a
    picture, before any text."""
    opening = _OPENING.match(body).end()
    lead = _IMG.match(body, opening)
    if lead is None:
        return None, body
    attrs = attributes(lead.group(0))
    src = attrs.get("src", "").strip()
    if not src.startswith(("http://", "https://")):
        return None, body
    rest = body[lead.end() :]
    caption = ""
    figcaption = _FIGCAPTION.match(rest)
    if figcaption:
        caption = clean_text(html.unescape(re.sub(r"<[^>]*>", " ", figcaption[1])))
        rest = rest[figcaption.end() :]
    rest = rest[_AFTER_LEAD.match(rest).end() :]
    # The link round the picture goes with it; an emptied paragraph too.
    before = re.sub(r"<a\b[^>]*>", "", body[:opening], flags=re.I)
    remaining = re.sub(r"^\s*<p\b[^>]*>\s*</p>", "", before + rest, flags=re.I)
    image = ImageRecord(
        source_uri=src[:500],
        href=src,
        alt=clean_text(attrs.get("alt")),
        caption=caption or clean_text(attrs.get("title")),
        renditions=[{"name": "lead", "href": src}],
    )
    return image, remaining.strip()
