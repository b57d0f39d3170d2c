"""Bylines and the dateline: a byline's rows as the write path takes them
(`BylineRow`), and the line readers see: writers after "By", everyone else by
role.

"By Ann Lee and Bo Ek, Reuters · Additional reporting by Cy Dunn ·
Photographs by Di Fox". The page, the feeds, JSON-LD and ninjs `by` all
say it from here, from the bylines in their order (prefetched, so showing
it costs no query).
"""

import re
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import Byline

Role = Byline.Role

# What a role's names follow, in the order the roles are shown.
LEADS = {
    Role.WRITER: "By",
    Role.ADDITIONAL_REPORTING: "Additional reporting by",
    Role.PHOTOGRAPHER: "Photographs by",
    Role.VIDEO: "Video by",
    Role.EDITOR: "Edited by",
    Role.TRANSLATOR: "Translated by",
}
SEPARATOR = " · "
FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>")


@dataclass(frozen=True)
class BylineRow:
    """One name of a byline: the author (an Author or its id), the role and
    the words after the name."""

    author: object
    role: str = Byline.Role.WRITER
    suffix: str = ""


def byline_rows(authors):
    """`authors` (Author objects, ids or BylineRows) as (author id, role,
    suffix), in order, each author once."""
    rows = {}
    for entry in authors:
        if not isinstance(entry, BylineRow):
            entry = BylineRow(entry)
        pk = getattr(entry.author, "pk", entry.author)
        rows.setdefault(pk, (pk, entry.role or Byline.Role.WRITER, entry.suffix))
    return list(rows.values())


def names_text(names):
    """Names joined as in a sentence: "Ann", "Ann and Bo", "Ann, Bo and Cy"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def shown_name(byline):
    """The name with its suffix: "Ann Lee with The Associated Press"."""
    name = byline.author.name
    return f"{name} {byline.suffix}" if byline.suffix else name


def groups(bylines):
    """[(role, lead, [bylines])] in the order of LEADS, each in byline order."""
    found = {}
    for byline in bylines:
        found.setdefault(byline.role or Role.WRITER, []).append(byline)
    return [(role, LEADS[role], found[role]) for role in LEADS if role in found]


def writers(bylines):
    return [b for b in bylines if (b.role or Role.WRITER) == Role.WRITER]


def contributors(bylines):
    return [b for b in bylines if (b.role or Role.WRITER) != Role.WRITER]


def byline_line(bylines, credit="", *, lead=True):
    """The whole byline as text. Without `lead` the writers' part has no "By"
    (ninjs `by`: "Ann Lee and Bo Ek, dpa"); the credit alone when nobody is
    named ("NTB")."""
    parts = []
    for role, role_lead, members in groups(bylines):
        names = names_text([shown_name(b) for b in members])
        if role == Role.WRITER:
            names = ", ".join(part for part in (names, credit) if part)
            parts.append(f"{role_lead} {names}" if lead else names)
        else:
            parts.append(f"{role_lead} {names}")
    if credit and not writers(bylines):
        parts.insert(0, credit)
    return SEPARATOR.join(parts)


def role_badge(role):
    """What an author did when not writing a story ("Photographs"), from their
    byline's `role`, for the author page; empty for a writer."""
    return "" if role == Role.WRITER else Role(role).label


def with_dateline(body, dateline):
    """The body HTML with the dateline ("CAIRO —", in small caps on the page)
    opening its first paragraph, or in one of its own when it has none."""
    if not dateline:
        return body
    mark = format_html('<span class="story-dateline">{} —</span> ', dateline)
    match = FIRST_PARAGRAPH.search(body)
    if match is None:
        return mark_safe(f"<p>{mark}</p>{body}")
    return mark_safe(f"{body[: match.end()]}{mark}{body[match.end() :]}")
