"""Reading NewsML-G2 elements: children by local name in the G2 namespace or
in none (some agencies send their files without it), text, attributes,
QCodes and the names of concepts."""

from .fields import clean_text
from .xmlsource import local, namespace

G2 = "http://iptc.org/std/nar/2006-10-01/"
NS = {"", G2}
NAME_ROLES = ("display", "", "full")  # preferred names of a concept, in order


def g2(parent, name):
    """The first child called `name` in the G2 namespace or none, or None."""
    if parent is None:
        return None
    for child in parent:
        if local(child.tag) == name and namespace(child.tag) in NS:
            return child
    return None


def g2_all(parent, name):
    if parent is None:
        return []
    return [c for c in parent if local(c.tag) == name and namespace(c.tag) in NS]


def text_of(element):
    """All the text in `element`, as one clean line (headlines may hold inline
    markup)."""
    if element is None:
        return ""
    return clean_text("".join(element.itertext()))


def attr(element, name):
    return element.get(name, "") if element is not None else ""


def qcode_code(element, name="qcode"):
    """The code of a QCode attribute: "stat:usable" -> "usable"."""
    return attr(element, name).rpartition(":")[2].strip()


def concept_name(element):
    """A concept's display name (not a mnemonic or short code), or ""."""
    names = g2_all(element, "name")
    for wanted in NAME_ROLES:
        for name in names:
            if qcode_code(name, "role").lower() == wanted:
                value = text_of(name)
                if value:
                    return value
    return ""


def concept_names(elements):
    """Display names of concepts (subjects, genres); bare codes are left out."""
    return [name for name in map(concept_name, elements) if name]
