"""Safe, streaming XML for the WXR, RSS, Atom and NewsML-G2 parsers.

defusedxml with forbid_dtd=True: no DTD, so no entity expansion (billion
laughs), no external entities and no DTD fetches. Elements are handed over as
they end and cleared by the caller, so memory does not grow with the file;
and a record (an <item>, an <entry>, a NewsML-G2 item) stops being kept once
it is over a size limit (see limits.py), so memory does not grow with a record
either.
"""

import xml.etree.ElementTree as ET

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from ..limits import body_limit, field_limit, record_limit, too_big
from ..records import SourceError

G2_ITEMS = {"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem"}
RECORDS = {"item", "entry", *G2_ITEMS}
# Fields that may hold a body (a NewsML-G2 item's is in its contentSet), and
# WordPress custom fields (page-builder data can be large), get the body's
# limit; every other field the field limit.
LONG_FIELDS = {
    "content:encoded",
    "description",
    "content",
    "summary",
    "contentSet",
    "wp:postmeta",
}
BODIES = LONG_FIELDS - {"wp:postmeta"}
PREFIXES = (  # namespace marker, the prefix files use for it
    ("/excerpt/", "excerpt"),
    ("wordpress.org/export/", "wp"),
    ("/modules/content/", "content"),
    ("purl.org/dc/", "dc"),
    ("search.yahoo.com/mrss", "media"),
)


def local(tag):
    """'{namespace}name' -> 'name'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag[:1] == "{" else ""


def label(tag):
    """The name of an element as files write it: "content:encoded", "title"."""
    uri = namespace(tag)
    for marker, prefix in PREFIXES:
        if marker in uri:
            return f"{prefix}:{local(tag)}"
    return local(tag)


class LimitedBuilder(ET.TreeBuilder):
    """A TreeBuilder that keeps nothing more of a record once it is too large.

    Text arrives in pieces of a few kilobytes; each is counted against the open
    field (a child of the record, with its descendants) and the whole record.
    Past a limit, pieces and elements are dropped (elements are replaced by
    detached stand-ins) while sizes are still counted for the message.
    `refused` maps each refused record's element to the reason; events are
    read some way behind the parser, so it is kept by element, not as state.
    """

    def __init__(self):
        super().__init__()
        self.body_limit = body_limit()
        self.field_limit = field_limit()
        self.record_limit = record_limit()
        self.kinds = {}  # tag: (name for messages, limit) of fields met so far
        self.open = []  # per open element: (tag, its stand-in or None if kept)
        self.record_depth = 0  # of the open record; 0 outside records
        self.record = self.field = self.over = None  # [name, limit, size]
        self.run = 0  # characters since the last tag, outside records
        self.refused = {}

    def start(self, tag, attrs):
        self.run = 0
        if self.record_depth and self.over is not None:
            stand_in = ET.Element(tag)
            self.open.append((tag, stand_in))
            return stand_in
        self.open.append((tag, None))
        if not self.record_depth and local(tag) in RECORDS:
            self.record_depth = len(self.open)
            self.record = [f"the whole {local(tag)}", self.record_limit, 0]
            self.over = None
        elif self.record_depth and len(self.open) == self.record_depth + 1:
            if tag not in self.kinds:
                self.kinds[tag] = self._kind(label(tag))
            self.field = [*self.kinds[tag], 0]
        element = super().start(tag, attrs)
        if self.record_depth:
            self._count(sum(len(value) for value in attrs.values()))
        return element

    def _kind(self, name):
        if name in BODIES:
            return f"body ({name})", self.body_limit
        if name in LONG_FIELDS:
            return name, self.body_limit
        return name, self.field_limit

    def end(self, tag):
        _, stand_in = self.open[-1]
        element = super().end(tag) if stand_in is None else stand_in
        if self.record_depth and len(self.open) == self.record_depth + 1:
            self.field = None
        elif self.record_depth and len(self.open) == self.record_depth:
            self.record_depth = 0
            if self.over is not None:
                name, limit, size = self.over
                self.refused[element] = too_big(name, size, limit)
        self.open.pop()
        self.run = 0
        return element

    def data(self, text):
        if self.record_depth:
            if self._count(len(text)):
                super().data(text)
            return
        self.run += len(text)
        if self.run > self.body_limit:
            where = label(self.open[-1][0]) if self.open else "text"
            raise SourceError(
                too_big(f"<{where}> outside any item", self.run, self.body_limit)
            )
        super().data(text)

    def _count(self, size):
        """Count `size` more characters of the open record; True to keep them."""
        self.record[2] += size
        if self.field is not None:
            self.field[2] += size
        if self.over is None:
            if self.field is not None and self.field[2] > self.field[1]:
                self.over = self.field
            elif self.record[2] > self.record[1]:
                self.over = self.record
        return self.over is None


def events(stream, what, builder=None):
    """iterparse(stream) with start and end events; errors become SourceError."""
    parser = DefusedXMLParser(target=builder or ET.TreeBuilder(), forbid_dtd=True)
    try:
        yield from iterparse(stream, events=("start", "end"), parser=parser)
    except defusedxml.DTDForbidden as exc:
        raise SourceError(
            "the file declares a DTD (<!DOCTYPE>); DTDs are refused for safety "
            "(entity expansion, external entities)"
        ) from exc
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise SourceError(
            "the file declares XML entities; they are refused for safety"
        ) from exc
    except ValueError as exc:
        # expat refuses a declared multi-byte encoding (gb2312, Shift_JIS, …).
        if "multi-byte" not in str(exc):
            raise
        raise SourceError(
            f"the file declares an encoding the XML reader cannot read ({exc}); "
            "save it as UTF-8"
        ) from exc
    except LookupError as exc:  # a declared encoding Python does not know
        raise SourceError(
            f"the file declares an unknown encoding ({exc}); save it as UTF-8"
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

    A record (<item>, <entry>) over a size limit ends with a "refused" event
    instead of "end": its element is already emptied and removed, and its
    text says why. The document element must be named one of `roots`, and a
    file with no element at all is refused.
    """
    builder = LimitedBuilder()
    stack = []
    seen_root = False
    for event, element in events(stream, what, builder):
        if not seen_root:
            seen_root = True
            if local(element.tag) not in roots:
                raise SourceError(f"not {what}: the root is <{local(element.tag)}>")
        if event == "start":
            yield event, element, stack[-1] if stack else None
            stack.append(element)
            continue
        stack.pop()
        parent = stack[-1] if stack else None
        if reason := builder.refused.pop(element, ""):
            element.clear()
            if parent is not None:
                parent.remove(element)
            element.text = reason
            event = "refused"
        yield event, element, parent
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
