"""The one HTML policy for article bodies (nh3, an allowlist sanitizer).

Every body passes through `sanitize_body` on every save, whether it came from
the admin editor or an import, so no script, event handler or `javascript:`
link is ever stored, and its text follows the text policy (articles/text.py).
"""

import nh3

from .text import clean_characters, clean_markup

# What the admin's rich text editor offers editors.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "code", "pre", "hr",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_body(html):
    """Return `html` with only the allowed tags, attributes and URL schemes."""
    if not html:
        return ""
    # Characters that are never text go before parsing (nh3 cannot encode a lone
    # surrogate) and again after it, since it decodes references such as &#11;.
    html = clean_markup(_cleaner.clean(clean_characters(html))).strip()
    # The editor's empty document is one empty paragraph: store it as empty.
    return "" if html in ("<p></p>", "<p><br></p>") else html
