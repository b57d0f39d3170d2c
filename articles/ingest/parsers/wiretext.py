"""Wire bodies as our HTML: inline XHTML or NITF, HTML, and plain text.

The loader sanitizes what comes out of here; this only maps the shapes
agencies send to paragraphs and headings, and takes out what repeats the
item's metadata (the headline, the slugline, the dateline).
"""

import html
import re
import xml.etree.ElementTree as ET

from .fields import body_html, clean_text
from .xmlsource import local

# Parts of a body that repeat the item's metadata (NITF's head and headline,
# an XHTML <header> with the slugline and headline).
DROPPED = {"head", "title", "h1", "hl1", "header", "body.head", "body.end", "media"}
RENAMED = {"hl2": "h2", "block": "div"}  # NITF to HTML
SEPARATORS = " \t-–—:,"
_INDENTED = re.compile(r"\n(?=[ \t]+\S)")
_PARAGRAPH_TAGS = re.compile(r"</?p\b[^>]*>|<br\s*/?>", re.I)


def clean_dateline(text):
    """A dateline without the dash or colon that joins it to the text."""
    return clean_text(text).strip(SEPARATORS)


def body_of(content_set):
    """(body HTML, a dateline found in it): XHTML or HTML first, then NITF, then
    plain text."""
    candidates = [
        c
        for c in (content_set if content_set is not None else ())
        if local(c.tag) in ("inlineXML", "inlineData")
    ]
    candidates.sort(key=content_rank)
    for candidate in candidates:
        if content_rank(candidate) > 2:
            break
        if local(candidate.tag) == "inlineXML":
            body, dateline = xml_body(candidate)
        elif content_rank(candidate) < 2:  # HTML or NITF markup as text
            body, dateline = body_html(candidate.text or ""), ""
        else:
            body, dateline = plain_body(candidate.text or ""), ""
        if body:
            return body, dateline
    return "", ""


def content_rank(content):
    kind = (content.get("contenttype") or "").lower()
    if "html" in kind:
        return 0
    if "nitf" in kind:
        return 1
    if not kind or kind.startswith("text/"):
        return 2
    return 3


def xml_body(inline):
    """An inline XHTML or NITF body as our HTML: its <body> (NITF's
    body.content), names without namespaces, the parts that repeat the
    metadata dropped, and its dateline taken out."""
    container = inline
    for node in inline.iter():
        if local(node.tag) == "body.content":
            container = node
            break
        if local(node.tag) == "body" and container is inline:
            container = node
    parents = {child: parent for parent in container.iter() for child in parent}
    dateline = ""
    for node in list(container.iter()):
        name = local(node.tag)
        node.tag = RENAMED.get(name, name)
        classes = (node.get("class") or "").split()
        if name in DROPPED or name == "dateline" or "dateline" in classes:
            if name == "dateline" or "dateline" in classes:
                dateline = dateline or clean_dateline("".join(node.itertext()))
            remove(node, parents)
        elif name == "p" and not len(node) and not (node.text or "").strip():
            remove(node, parents)
    parts = [html.escape(container.text or "", quote=False)]
    parts += [ET.tostring(child, encoding="unicode") for child in container]
    return body_html("".join(parts)), dateline


def remove(node, parents):
    """Take `node` out of the tree, keeping the text that follows it."""
    parent = parents.get(node)
    if parent is None:
        return
    tail = node.tail or ""
    siblings = list(parent)
    index = siblings.index(node)
    if index:
        previous = siblings[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def plain_body(text):
    """Plain wire text as paragraphs: at blank lines, at <p> and <br> some
    agencies leave in text/plain, and at indented lines (the wire convention
    of indenting each paragraph's first line)."""
    text = _PARAGRAPH_TAGS.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        paragraphs.extend(_INDENTED.split(block.strip("\n")))
    return "".join(
        f"<p>{html.escape(clean_text(p), quote=False)}</p>"
        for p in paragraphs
        if clean_text(p)
    )
