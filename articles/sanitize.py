"""The one HTML policy for article bodies (nh3, an allowlist sanitizer).

Every body passes through `sanitize_body` on every save, whether it came from
the admin editor or an import, so no script, event handler or `javascript:`
link is ever stored, and its text follows the text policy (articles/text.py).
"""

import re

import nh3

from . import embeds
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
    # Newsroom's own nodes (static/admin/newsroom/body-media.js): an embed
    # pasted as a URL and a picture from the library.
    "Embed": True,
    "Picture": True,
}

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "code", "pre", "hr",
    "figure", "figcaption", "img", "small", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    # An embed: the provider's address, never its iframe or script.
    "figure": {"data-embed-provider", "data-embed-url"},
}
# A picture is <figure class="picture"> with an <img>, and a <figcaption> whose
# credit is in <small>; an embed is <figure class="embed">.
ALLOWED_CLASSES = {"figure": {"embed", "picture"}}
# What nh3 leaves of a figure's other classes: class="", inside a tag.
EMPTY_CLASS = re.compile(r'(<figure(?:\s[\w-]+="[^"]*")*?)\s+class=""')
# Elements dropped with everything inside them, not just their tags.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "noscript", "template"}


def embed_attribute(element, attribute, value):
    """An embed keeps only the address of a provider it is recognised as."""
    if element != "figure" or not attribute.startswith("data-embed-"):
        return value
    if attribute == "data-embed-url":
        embed = embeds.recognise(value)
        return embed.url if embed else None
    return value if value in embeds.provider_keys() else None


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attribute_filter=embed_attribute,
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
    if 'class=""' in html:
        html = EMPTY_CLASS.sub(r"\1", html)
    # The editor's empty document is one empty paragraph: store it as empty.
    return "" if html in ("<p></p>", "<p><br></p>") else html
