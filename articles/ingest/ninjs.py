"""IPTC ninjs (News in JSON) items -> article records, for the import.

Reads ninjs 1.x (flat `headline`, `body_xhtml`/`body_html`), 2.x
(`headlines[]`, `bodies[]`) and 3.x (the same in camelCase); real files mix
them, so every key is looked up case-insensitively and both shapes are tried.
The other direction (export and the API) is core's: articles/ninjs.py.
"""

import re
from urllib.parse import unquote

from django.utils.dateparse import parse_datetime

from articles.ninjs import WRAPPED_SOURCE

from .parsers.bylines import add_byline
from .parsers.dates import date_of, read_date
from .parsers.fields import (
    body_html,
    clean_text,
    strip_tags,
)
from .records import ArticleRecord, ImageRecord, Skipped

NOT_ARTICLES = {"picture", "video", "audio", "graphic"}
STATUS_FROM_PUBSTATUS = {
    "usable": "published",
    "withheld": "draft",
    "canceled": "withdrawn",
    "cancelled": "withdrawn",
}
# Wire kills: the agency takes the story back, and it comes down wherever it
# ran (a withheld story that never ran stays a draft: drafts export as withheld).
KILLS = {"withheld", "canceled", "cancelled"}
DECK_ROLES = ("summary", "lead", "abstract", "description", "standfirst", "")
# Public notes our export writes as descriptions (articles/ninjs.py): never a deck.
NOTE_ROLES = ("correction", "clarification", "update")
NOTE = re.compile(
    r"(?:Correction|Clarification|Update)(?: \((?P<at>[0-9T:.+Z-]+)\))?: (?P<text>.+)",
    re.S,
)


def lower_keys(value, depth=0):
    """ninjs 3.x keys are camelCase; 1.x/2.x lower case. Fold them all."""
    if depth > 20:
        raise ValueError("nested too deeply")
    if isinstance(value, dict):
        folded = {}
        for key, item in value.items():
            key = str(key).lower()
            if key in ("renditions", "associations") and isinstance(item, dict):
                # Keys here are names chosen by the source ("viewImage"): keep them.
                folded[key] = {k: lower_keys(v, depth + 2) for k, v in item.items()}
            elif type(item) in LEAVES and depth < 20:
                folded[key] = item  # as lower_keys(item, depth + 1) returns it
            else:
                folded[key] = lower_keys(item, depth + 1)
        return folded
    if isinstance(value, list):
        return [lower_keys(v, depth + 1) for v in value]
    return value


# JSON's values that hold no keys: most of an item's, folded without a call.
LEAVES = {str, int, float, bool, type(None)}


def unwrapped(uri):
    """A source's identity that our export had to wrap to make it a URI."""
    if uri.startswith(WRAPPED_SOURCE):
        return unquote(uri.removeprefix(WRAPPED_SOURCE))
    return uri


def as_list(value):
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.values())
    return value if isinstance(value, list) else [value]


def text_of(value):
    """A plain string from a ninjs value (a string, or {"value": ...})."""
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) else ""


def first_by_role(items, roles, key="value", *, any_role=True):
    """The first value with one of `roles`, else (if `any_role`) the first."""
    items = [i for i in as_list(items) if isinstance(i, dict) and text_of(i.get(key))]
    for role in roles:
        for item in items:
            if (item.get("role") or "") == role:
                return text_of(item.get(key))
    return text_of(items[0].get(key)) if items and any_role else ""


def pattern_values(item, prefix):
    """(suffix, text) of ninjs 1.5+ pattern properties such as `body_html5`,
    `headline_main` or `description_text`, in the order the item gives them."""
    return [
        (key[len(prefix) :], text_of(value))
        for key, value in item.items()
        if key.startswith(prefix) and text_of(value).strip()
    ]


def headline_of(item):
    patterned = pattern_values(item, "headline_")
    return clean_text(
        text_of(item.get("headline"))
        or first_by_role(item.get("headlines"), ("main", "", "headline"))
        or (patterned[0][1] if patterned else "")
        or text_of(item.get("title"))
    )


def notes_of(descriptions):
    """Public notes given as descriptions with a note's role, as our export
    writes them: "Correction (2026-03-01T09:00:00Z): The vote is on Tuesday."
    (the kind and time are optional)."""
    notes = []
    for description in as_list(descriptions):
        if not isinstance(description, dict):
            continue
        role = text_of(description.get("role")).strip().lower()
        text = text_of(description.get("value")).strip()
        if role not in NOTE_ROLES or not text:
            continue
        match = NOTE.fullmatch(text)
        at = note_time(match["at"]) if match and match["at"] else None
        if match:
            text = match["text"].strip()
        notes.append({"kind": role, "text": text, "at": at})
    return notes


def note_time(value):
    """A note's time with its zone, or None (a bad or zoneless one is dropped:
    the note is then dated as the story's update)."""
    try:
        when = parse_datetime(value)
    except ValueError:
        return None
    return when if when and when.tzinfo else None


def deck_of(item):
    deck = ""
    for suffix, value in sorted(
        pattern_values(item, "description_"), key=lambda p: "html" in p[0]
    ):
        deck = strip_tags(value) if "html" in suffix or "<" in value else value
        break
    if not deck:
        descriptions = [
            d
            for d in as_list(item.get("descriptions"))
            if not isinstance(d, dict) or d.get("role") not in NOTE_ROLES
        ]
        deck = first_by_role(descriptions, DECK_ROLES)
        if "<" in deck:
            deck = strip_tags(deck)
    return clean_text(deck)


def body_of(item):
    """The body as HTML: an HTML body wins over plain text."""
    patterned = pattern_values(item, "body_")
    for suffix, value in patterned:  # body_html, body_xhtml, body_html5...
        if "html" in suffix:
            return body_html(value)
    bodies = [b for b in as_list(item.get("bodies")) if isinstance(b, dict)]
    html_bodies = [
        b
        for b in bodies
        if "html" in (b.get("contenttype") or "") or "html" in (b.get("role") or "")
    ]
    # Prefer the main/plain HTML rendering over enriched variants.
    html_bodies.sort(key=lambda b: (b.get("role") or "") not in ("main", "html", ""))
    for body in html_bodies:
        if text_of(body).strip():
            return body_html(text_of(body))
    for _, value in patterned:  # body_text, or a kind this code does not know
        return body_html(value)
    for body in bodies:
        plain = (body.get("contenttype") or "text/plain").startswith("text/plain")
        if plain and text_of(body).strip():
            return body_html(text_of(body))
    return ""


def contributors_of(item):
    """{"name", "role"} of the people in `bylines` (TT) and `authors`
    (Superdesk), in order; entries marked internal are the newsroom's own."""
    found = []
    for entry in as_list(item.get("bylines")) + as_list(item.get("authors")):
        if not isinstance(entry, dict) or str(entry.get("internal")).lower() == "true":
            continue
        name = clean_text(
            text_of(entry.get("name"))
            or text_of(entry.get("byline")).rpartition("/")[0]
            or text_of(entry.get("byline"))
            or f"{text_of(entry.get('firstname'))} {text_of(entry.get('lastname'))}"
        )
        if name:
            role = clean_text(text_of(entry.get("role")) or text_of(entry.get("rel")))
            found.append({"name": name, "role": role})
    return found


def byline_people(item):
    """{"name", "role"} of the `people` whose `rel` puts them in the byline
    ("byline:photographer", as our export writes them), in order."""
    found = []
    for entry in as_list(item.get("people")):
        if not isinstance(entry, dict):
            continue
        rel = clean_text(text_of(entry.get("rel")))
        name = clean_text(text_of(entry.get("name")))
        if name and rel.casefold().startswith("byline:"):
            found.append({"name": name, "role": rel})
    return found


def names_of(items):
    names = []
    for entry in as_list(items):
        name = entry if isinstance(entry, str) else ""
        if isinstance(entry, dict):
            name = entry.get("name") or ""
            if not name and not str(entry.get("literal", "")).isdigit():
                name = entry.get("literal") or ""
        name = clean_text(name)
        if name and name not in names:
            names.append(name)
    return names


def image_of(item):
    """The hero picture among `associations` (dict by name, or a list)."""
    associations = item.get("associations")
    candidates = []
    if isinstance(associations, dict):
        preferred = ("featuremedia", "featureimage", "photo", "image", "main")
        keys = sorted(
            associations,
            key=lambda k: (k not in preferred, list(associations).index(k)),
        )
        candidates = [associations[k] for k in keys]
    elif isinstance(associations, list):
        candidates = associations
    for assoc in candidates:
        if not isinstance(assoc, dict):
            continue
        kind = assoc.get("type") or ""
        mimetype = assoc.get("mimetype") or ""
        if kind not in ("picture", "graphic") and not mimetype.startswith("image/"):
            continue
        renditions = []
        focus = None
        for name, rendition in (
            assoc.get("renditions").items()
            if isinstance(assoc.get("renditions"), dict)
            else enumerate(as_list(assoc.get("renditions")))
        ):
            if not isinstance(rendition, dict) or not rendition.get("href"):
                continue
            renditions.append(
                {
                    "name": str(rendition.get("name") or name),
                    "href": str(rendition["href"])[:1000],
                    "width": rendition.get("width"),
                    "height": rendition.get("height"),
                    "mimetype": rendition.get("mimetype")
                    or rendition.get("contenttype")
                    or "",
                    "usage": rendition.get("usage") or "",
                }
            )
            focus = focus or point_of_interest(rendition)
        caption = clean_text(
            text_of(assoc.get("description_text"))
            or strip_tags(first_by_role(assoc.get("descriptions"), ("caption", "")))
            or text_of(assoc.get("body_text"))
        )
        credit = clean_text(
            text_of(assoc.get("byline"))
            or text_of(assoc.get("by"))
            or first_by_role(assoc.get("descriptions"), ("creditline",), any_role=False)
            or text_of(assoc.get("copyrightnotice"))
        )
        alt = clean_text(
            # Only a description meant as alt text: a caption is said below.
            first_by_role(assoc.get("descriptions"), ("alt", "alttext"), any_role=False)
            or text_of(assoc.get("headline"))
            or headline_of(assoc)
            or caption
        )
        source_uri = unwrapped(str(assoc.get("uri") or assoc.get("guid") or ""))
        if not source_uri and renditions:
            source_uri = renditions[0]["href"]
        if not source_uri:
            continue
        return ImageRecord(
            source_uri=source_uri[:500],
            href=best_rendition(renditions),
            caption=caption,
            credit=credit,
            source=clean_text(text_of(assoc.get("copyrightholder"))),
            usage_terms=clean_text(text_of(assoc.get("usageterms"))),
            focus=focus,
            alt=alt,
            renditions=renditions,
        )
    return None


def point_of_interest(rendition):
    """A rendition's ninjs 3 `poi` (pixels from the top left) as fractions of
    its width and height, or None."""
    poi, width, height = (rendition.get(k) for k in ("poi", "width", "height"))
    if not isinstance(poi, dict):
        return None
    numbers = [poi.get("x"), poi.get("y"), width, height]
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        return None
    x, y = poi["x"] / width if width else -1, poi["y"] / height if height else -1
    return (x, y) if 0 <= x <= 1 and 0 <= y <= 1 else None


def best_rendition(renditions):
    """The largest rendition up to 2,500 px wide, else the smallest one."""
    images = [
        r for r in renditions if not r["mimetype"] or r["mimetype"].startswith("image/")
    ]
    if not images:
        return ""

    def width(r):
        try:
            return int(r["width"] or 0)
        except (TypeError, ValueError):
            return 0

    fitting = [r for r in images if 0 < width(r) <= 2500]
    if fitting:
        return max(fitting, key=width)["href"]
    return min(images, key=lambda r: width(r) or 10**9)["href"]


def replaced_uris(item, uri):
    """The identities this item replaces (`replacing`, as TT and NTB write it,
    or `replaces`): strings, or objects with a `uri`."""
    found = []
    for entry in as_list(item.get("replacing")) + as_list(item.get("replaces")):
        value = entry.get("uri") if isinstance(entry, dict) else entry
        value = unwrapped(clean_text(value if isinstance(value, str) else ""))
        if value and value != uri and value not in found:
            found.append(value[:500])
    return found


def read_dates(record, item, zone):
    """Published: `firstpublished`, else `firstcreated`, else `versioncreated`;
    an embargo later than that wins. Updated: `versioncreated` (values.py
    shows it only when well after publication)."""
    published, date_only = None, False
    for key in ("firstpublished", "firstcreated", "versioncreated"):
        if item.get(key):
            published, date_only = date_of(record, item[key], key, zone)
            break
    if record.status == "draft" and not item.get("firstpublished"):
        published = None  # a draft has no publication time yet
    embargo_key = "embargoed" if item.get("embargoed") else "embargoeduntil"
    embargo, embargo_day = date_of(record, item.get(embargo_key), embargo_key, zone)
    if embargo and (published is None or embargo > published):
        published, date_only = embargo, embargo_day
    record.embargoed_until = embargo
    record.published_at, record.published_date_only = published, date_only
    try:
        read_date(item.get("versioncreated"), zone)
    except ValueError as exc:
        record.warnings.append(f"versioncreated ignored: {exc}")
    else:
        record.updated_at, _ = date_of(
            record, item.get("versioncreated"), "versioncreated", zone
        )


def record_from_ninjs(item, position, zone=None):
    """An ArticleRecord (or Skipped) from one decoded ninjs object."""
    if not isinstance(item, dict):
        return Skipped(position, f"not a ninjs object (a JSON {type(item).__name__})")
    item = lower_keys(item)
    uri = clean_text(text_of(item.get("uri")) or text_of(item.get("guid")))
    uri = unwrapped(uri)
    kind = clean_text(text_of(item.get("type"))).lower()
    if kind in ("picture", "graphic"):
        image = image_of({"associations": [item]})
        if image is not None and image.renditions:
            reason = f"a {kind} item, not an article: kept in the media library"
            return Skipped(position, reason, uri, image=image)
    if kind in NOT_ARTICLES:
        return Skipped(position, f"a {kind} item, not an article", uri)
    record = ArticleRecord(position=position, source_uri=uri)
    if not uri:
        record.problems.append("no uri or guid: the item has no identity")
    record.headline = headline_of(item)
    record.deck = deck_of(item)
    record.body = body_of(item)
    record.language = clean_text(text_of(item.get("language")))
    pubstatus = clean_text(text_of(item.get("pubstatus"))).lower()
    record.status = STATUS_FROM_PUBSTATUS.get(pubstatus, "published")
    record.kill = pubstatus in KILLS
    record.replaces = replaced_uris(item, uri)
    read_dates(record, item, zone)
    record.dateline = clean_text(text_of(item.get("located")))
    # The parties that supplied the story (`infosources`, as our export and
    # agencies write them) are the credit, also where the byline names them.
    sources = names_of(item.get("infosources"))
    record.credit = ", ".join(sources)
    byline = text_of(item.get("by")) or text_of(item.get("byline"))
    credited = byline_people(item)
    if credited:
        # Our own export: `by` is the line rendered from these people.
        record.authors = [person["name"] for person in credited]
    else:
        add_byline(record, byline, credits=sources)
    record.byline_roles = credited + contributors_of(item)
    if not record.authors:
        for person in record.byline_roles:
            add_byline(record, person["name"], credits=sources)
    record.credit = record.credit or clean_text(text_of(item.get("copyrightholder")))
    record.corrections = notes_of(item.get("descriptions"))
    record.tags = names_of(item.get("subjects")) + names_of(item.get("subject"))
    record.tags += names_of(item.get("keywords"))
    record.section = names_of(item.get("genres")) + names_of(item.get("genre"))
    record.image = image_of(item)
    return record
