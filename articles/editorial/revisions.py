"""An article's history, for editors: which fields changed, readable diffs.

The revisions themselves are recorded (and restored) by the write path,
articles/publishing.py. A revision's number is the article's `version` when
it was saved, so the version an editor's form started from names the revision
to compare with when their save conflicts with someone else's.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Byline

# Field, label; in the order a diff shows them.
TRACKED = [
    ("kicker", "Kicker"),
    ("headline", "Headline"),
    ("slug", "Slug"),
    ("deck", "Deck"),
    ("body", "Body"),
    ("section", "Section"),
    ("authors", "Authors"),
    ("credit", "Credit"),
    ("dateline_place", "Dateline"),
    ("dateline_date", "Dateline date"),
    ("dateline_source", "Dateline source"),
    ("tags", "Tags"),
    ("hero_image", "Image"),
    ("status", "Status"),
    ("published_at", "Publication time"),
    ("embargoed_until", "Embargoed until"),
    ("withdrawn_reason", "Reason for withdrawal"),
]
_BLOCK_END = re.compile(r"(</(?:p|h2|h3|h4|li|blockquote|pre|figure|table)>|<br>|<hr>)")


def as_text(field, value):
    """A field's stored value as lines of text for diffing."""
    if value is None:
        return []
    if field == "body":
        lines = _BLOCK_END.sub("\\1\n", value).splitlines()
        return [line.strip() for line in lines if line.strip()]
    if field in ("section", "hero_image"):
        return [value["name"]]
    if field == "authors":
        return [f"{i}. {byline_text(a)}" for i, a in enumerate(value, 1)]
    if field == "tags":
        return list(value)
    if field in ("credit", "dateline_place", "dateline_date", "dateline_source"):
        return [value] if value else []  # none, or not recorded (older revisions)
    return str(value).splitlines() or [""]


def byline_text(author):
    """ "Ann Lee with AP", and a role other than writing: "Di Fox (Photographs)"."""
    text = " ".join(filter(None, [author["name"], author.get("suffix")]))
    role = author.get("role")
    return f"{text} ({Byline.Role(role).label})" if role in Byline.Role else text


def changed_fields(old, new):
    """Labels of the tracked fields that differ between two snapshots."""
    return [
        label
        for field, label in TRACKED
        if as_text(field, old.get(field)) != as_text(field, new.get(field))
    ]


def _words(line):
    return re.findall(r"\s+|[^\s]+", line)


def _inline_diff(old, new):
    """Two versions of a line, escaped, with removed and added words marked."""
    a, b = _words(old), _words(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return "".join(left), "".join(right)


def field_diff(old_lines, new_lines):
    """Rows of (kind, html) where kind is 'same', 'removed' or 'added'."""
    rows = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(("same", escape(line)) for line in old_lines[i1:i2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            for old, new in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True):
                removed, added = _inline_diff(old, new)
                rows.append(("removed", removed))
                rows.append(("added", added))
        else:
            rows.extend(("removed", escape(line)) for line in old_lines[i1:i2])
            rows.extend(("added", escape(line)) for line in new_lines[j1:j2])
    return [(kind, mark_safe(html)) for kind, html in rows]


def diff(old, new):
    """[(label, rows)] for each tracked field that changed from `old` to `new`.

    Every piece of text is escaped before the <del>/<ins> markers are added.
    """
    changes = []
    for field, label in TRACKED:
        old_lines = as_text(field, old.get(field))
        new_lines = as_text(field, new.get(field))
        if old_lines != new_lines:
            changes.append((label, field_diff(old_lines, new_lines)))
    return changes
