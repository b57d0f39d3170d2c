"""Safe, streaming XML for the WXR, RSS and Atom parsers.

defusedxml with forbid_dtd=True: no DTD, so no entity expansion (billion
laughs), no external entities and no DTD fetches. Elements are handed over as
they end and cleared by the caller, so memory does not grow with the file.
"""

import xml.etree.ElementTree as ET

import defusedxml
from defusedxml.ElementTree import iterparse

from ..records import SourceError


def local(tag):
    """'{namespace}name' -> 'name'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag[:1] == "{" else ""


def events(stream, what):
    """iterparse(stream) with start and end events; errors become SourceError."""
    try:
        yield from iterparse(stream, events=("start", "end"), forbid_dtd=True)
    except defusedxml.DTDForbidden as exc:
        raise SourceError(
            "the file declares a DTD (<!DOCTYPE>); DTDs are refused for safety "
            "(entity expansion, external entities)"
        ) from exc
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise SourceError(
            "the file declares XML entities; they are refused for safety"
        ) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        if line == 1 and column == 0:
            raise SourceError(f"not {what}: the file is not XML ({reason})") from exc
        if "undefined entity" in str(exc):
            reason += (
                " (HTML entities such as &nbsp; are not XML; escape them or use CDATA)"
            )
        if "no element found" in str(exc):
            reason += " (the file is truncated or empty)"
        raise SourceError(
            f"ill-formed XML: {reason}", f"line {line}, column {column}"
        ) from exc


def tree_events(stream, what, roots):
    """(event, element, parent) triples; the caller clears finished items with
    `parent.remove(element)` so the tree never holds more than one item.

    The document element must be named one of `roots`, and a file with no
    element at all is refused.
    """
    stack = []
    seen_root = False
    for event, element in events(stream, what):
        if not seen_root:
            seen_root = True
            if local(element.tag) not in roots:
                raise SourceError(f"not {what}: the root is <{local(element.tag)}>")
        if event == "start":
            yield event, element, stack[-1] if stack else None
            stack.append(element)
        else:
            stack.pop()
            yield event, element, stack[-1] if stack else None
    if not seen_root:
        raise SourceError("the file is empty")


def text(element, name, ns=None):
    """The text of the first child called `name` (any namespace unless given)."""
    child = child_named(element, name, ns)
    return (child.text or "") if child is not None else ""


def child_named(element, name, ns=None):
    for child in element:
        if local(child.tag) == name and (ns is None or namespace(child.tag) in ns):
            return child
    return None


def children_named(element, name, ns=None):
    return [
        c
        for c in element
        if local(c.tag) == name and (ns is None or namespace(c.tag) in ns)
    ]


def inner_xml(element):
    """The markup inside `element` (for Atom's type="xhtml" content)."""
    for node in element.iter():
        node.tag = local(node.tag)  # plain HTML names, no "html:" prefixes
    parts = [element.text or ""]
    for child in element:
        child.tail, tail = None, child.tail
        parts.append(ET.tostring(child, encoding="unicode"))
        parts.append(tail or "")
    return "".join(parts)
