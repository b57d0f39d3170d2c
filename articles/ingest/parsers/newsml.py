"""IPTC NewsML-G2: a `newsMessage` with an `itemSet`, or a bare item.

Elements are matched by their local names in the G2 namespace or in none, so
conforming files and the un-namespaced ones some agencies send both read.
Text items become articles; pictures, packages and other items are skipped
with the reason. A first pass (when the file can be read twice) collects the
file's picture items, the packages that group them with text items and the
highest version of each item, so a picture may come before or after its
story and an older version in the same file is skipped. Parsing goes through
xmlsource.tree_events: no DTDs, no entities, and each item size-limited.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..ninjs import KILLS, NOT_ARTICLES, STATUS_FROM_PUBSTATUS, best_rendition
from ..records import ArticleRecord, Failed, ImageRecord, Skipped, SourceError
from .bylines import add_byline, is_organisation
from .dates import date_of
from .fields import clean_text
from .g2 import (
    NS,
    attr,
    concept_name,
    concept_names,
    g2,
    g2_all,
    qcode_code,
    text_of,
)
from .wiretext import body_of, clean_dateline
from .xmlsource import G2_ITEMS, local, namespace, tree_events

WHAT = "NewsML-G2"
ROOTS = {"newsMessage", *G2_ITEMS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DECK_ROLES = {"summary", "lead", "abstract", "teaser", "standfirst", ""}


def parse(stream, *, zone=None):
    """Yield records from a binary stream of NewsML-G2."""
    found = collect(stream) if stream.seekable() else Found()
    number = 0
    for event, element, parent in tree_events(stream, WHAT, ROOTS):
        if event == "start" or not is_item(element, parent):
            continue
        number += 1
        position = f"item {number}"
        if event == "refused":
            if local(element.tag) == "newsItem":
                yield Failed(position, element.text)
            else:
                yield Skipped(position, not_an_article(local(element.tag)))
            continue
        try:
            item = item_record(element, position, found, zone)
        except RecursionError:
            item = Failed(position, "the item is nested too deeply")
        yield item
        element.clear()
        if parent is not None:
            parent.remove(element)


def is_item(element, parent):
    """An item of the file: the root, or a child of a message's itemSet."""
    if local(element.tag) not in G2_ITEMS or namespace(element.tag) not in NS:
        return False
    return parent is None or local(parent.tag) == "itemSet"


def not_an_article(name, kind=""):
    if name == "packageItem":
        return "a package item (it groups other items), not an article"
    if kind:
        return f"a {kind} item, not an article"
    return f"a NewsML-G2 {name}, not an article"


# The first pass


@dataclass
class Found:
    pictures: dict = field(default_factory=dict)  # guid: ImageRecord
    packaged: dict = field(default_factory=dict)  # text item guid: picture guid
    versions: dict = field(default_factory=dict)  # guid: highest version

    def newer(self, guid, version):
        """The version of `guid` later in the file that replaces `version`, or 0."""
        highest = self.versions.get(guid, 0)
        return highest if highest > as_version(version) else 0


def collect(stream):
    """Pictures, packages and versions of the whole file (first pass)."""
    found = Found()
    packages = []
    try:
        for event, element, parent in tree_events(stream, WHAT, ROOTS):
            if event != "end" or not is_item(element, parent):
                continue
            guid = element.get("guid") or ""
            version = as_version(element.get("version"))
            found.versions[guid] = max(version, found.versions.get(guid, 0))
            if local(element.tag) == "packageItem":
                packages.append(
                    [
                        ref.get("residref")
                        for ref in element.iter()
                        if local(ref.tag) == "itemRef" and ref.get("residref")
                    ]
                )
            elif item_kind(element) in ("picture", "graphic"):
                found.pictures[guid] = picture_of(element)
            element.clear()
            if parent is not None:
                parent.remove(element)
    except (SourceError, RecursionError):
        pass  # the main pass reports it, with the items before it imported
    stream.seek(0)
    for refs in packages:
        pictures = [ref for ref in refs if ref in found.pictures]
        for ref in refs:
            if pictures and ref not in found.pictures:
                found.packaged.setdefault(ref, pictures[0])
    return found


def as_version(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


# One item


def item_record(item, position, found, zone):
    guid = clean_text(item.get("guid"))
    name = local(item.tag)
    kind = item_kind(item)
    if name != "newsItem":
        return Skipped(position, not_an_article(name), guid)
    if kind in NOT_ARTICLES or kind == "composite":
        return Skipped(position, not_an_article(name, kind), guid)
    if newer := found.newer(guid, item.get("version")):
        return Skipped(
            position, f"version {item.get('version')}: version {newer} follows", guid
        )
    meta = g2(item, "itemMeta")
    content = g2(item, "contentMeta")
    record = ArticleRecord(position=position, source_uri=guid)
    record.version = clean_text(item.get("version"))
    if not guid:
        record.problems.append("no guid: the item has no identity")
    record.headline, record.deck = headlines(content)
    record.body, body_dateline = body_of(g2(item, "contentSet"))
    record.dateline = dateline_of(content) or body_dateline or located(content)
    record.language = clean_text(
        attr(g2(content, "language"), "tag") or item.get(XML_LANG)
    )
    pubstatus = qcode_code(g2(meta, "pubStatus")).lower()
    record.status = STATUS_FROM_PUBSTATUS.get(pubstatus, "published")
    record.kill = pubstatus in KILLS  # a wire kill, as in ninjs
    read_dates(record, meta, content, zone)
    read_bylines(record, item, content)
    record.tags = concept_names(g2_all(content, "subject"))
    record.tags += [text_of(k) for k in g2_all(content, "keyword")]
    record.tags = [tag for tag in dict.fromkeys(record.tags) if tag]
    record.section = concept_names(g2_all(content, "genre"))
    record.image = image_of(item, meta, found)
    return record


def item_kind(item):
    """The item's class: "text" for itemClass "ninat:text" or "icls:text"."""
    return qcode_code(g2(g2(item, "itemMeta"), "itemClass")).lower()


def headlines(content):
    """(headline, deck): the main headline of lowest rank, and a sub-headline or
    a summary description as the deck."""
    main, sub = [], []
    for headline in g2_all(content, "headline"):
        role = qcode_code(headline, "role").lower()
        (sub if "sub" in role else main).append(headline)
    main.sort(key=lambda h: as_rank(h.get("rank")))
    deck = text_of(sub[0]) if sub else ""
    if not deck:
        for description in g2_all(content, "description"):
            if qcode_code(description, "role").lower() in DECK_ROLES:
                deck = text_of(description)
                if deck:
                    break
    return (text_of(main[0]) if main else ""), deck


def as_rank(value):
    rank = as_version(value)
    return rank if rank > 0 else 10**9


def read_dates(record, meta, content, zone):
    """Published: firstCreated, else contentCreated, else versionCreated; an
    embargo later than that wins (a story must not go out before it)."""
    for element, name in (
        (meta, "firstCreated"),
        (content, "contentCreated"),
        (meta, "versionCreated"),
    ):
        value = text_of(g2(element, name))
        if value.strip():
            published, date_only = date_of(record, value, name, zone)
            break
    else:
        published, date_only = None, False
    record.updated_at, _ = date_of(
        record, text_of(g2(meta, "versionCreated")), "versionCreated", zone
    )
    embargo, embargo_date_only = date_of(
        record, text_of(g2(meta, "embargoed")), "embargoed", zone
    )
    record.embargoed_until = embargo
    if record.status != "published":
        published, date_only = None, False  # not yet published, or killed
    elif embargo and (published is None or embargo > published):
        published, date_only = embargo, embargo_date_only
    record.published_at, record.published_date_only = published, date_only


def read_bylines(record, item, content):
    """Authors from `by` (the byline as written), else from creators whose names
    are people's names (not logins such as "degenhardt.sandra" or desk codes);
    every creator and contributor is kept with its role. The credit: the
    creditline, the info sources (never people, also in the byline), an
    agency in the byline, else the provider or rights holder."""
    sources = [
        concept_name(source)
        or clean_text(attr(source, "literal"))
        or qcode_code(source)
        for source in g2_all(content, "infoSource")
    ]
    sources = [name for name in dict.fromkeys(sources) if name]
    record.credit = text_of(g2(content, "creditline")) or ", ".join(sources)
    add_byline(record, text_of(g2(content, "by")), credits=sources)
    written = bool(record.authors)
    for kind in ("creator", "contributor"):
        for person in g2_all(content, kind):
            name = concept_name(person) or clean_text(person.get("literal"))
            if not name:
                continue
            role = qcode_code(person, "role") or kind
            record.byline_roles.append({"name": name, "role": role})
            shown = kind == "creator" and not written and is_person_name(name)
            shown = shown and name.casefold() not in {s.casefold() for s in sources}
            if shown and name not in record.authors:
                record.authors.append(name)
    record.credit = record.credit or provider_credit(item)


def provider_credit(item):
    """The provider's or the rights holder's name, else the provider's code."""
    holder = g2(g2(item, "rightsInfo"), "copyrightHolder")
    provider = g2(g2(item, "itemMeta"), "provider")
    return (
        concept_name(provider)
        or concept_name(holder)
        or clean_text(attr(holder, "literal"))
        or clean_text(attr(provider, "literal"))
        or qcode_code(provider)
    )


def is_person_name(name):
    words = name.split()
    return (
        len(words) >= 2
        and all(word[:1].isalpha() for word in words)
        and not any(char.isdigit() or char in "@_" for char in name)
        and not is_organisation(name)
    )


def dateline_of(content):
    return clean_dateline(text_of(g2(content, "dateline")))


def located(content):
    place = g2(content, "located")
    return concept_name(place) or clean_text(attr(place, "literal"))


# Pictures


def image_of(item, meta, found):
    """The story's picture: one a package of the file groups with it, one its
    links point to, or one in its own contentSet."""
    guid = item.get("guid") or ""
    if guid in found.packaged:
        return found.pictures[found.packaged[guid]]
    for link in g2_all(meta, "link"):
        ref = link.get("residref") or ""
        if ref in found.pictures:
            return found.pictures[ref]
        kind = qcode_code(g2(link, "itemClass")).lower()
        mimetype = (link.get("contenttype") or "").lower()
        if link.get("href") and (kind == "picture" or mimetype.startswith("image/")):
            rendition = rendition_of(link, 0)
            return ImageRecord(
                source_uri=(ref or link.get("href"))[:500],
                href=fetchable(rendition["href"]),
                caption=text_of(g2(link, "title")),
                renditions=[rendition],
            )
    renditions = pictures_in(g2(item, "contentSet"))
    if renditions:
        return ImageRecord(
            source_uri=renditions[0]["href"][:500],
            href=fetchable(best_rendition(renditions)),
            renditions=renditions,
        )
    return None


def picture_of(item):
    """An ImageRecord from a picture item: its renditions, caption and credit."""
    content = g2(item, "contentMeta")
    renditions = pictures_in(g2(item, "contentSet"))
    captions = g2_all(content, "description")
    caption = next(
        (c for c in captions if "caption" in qcode_code(c, "role").lower()),
        captions[0] if captions else None,
    )
    credit = (
        text_of(g2(content, "creditline"))
        or text_of(g2(content, "by"))
        or ", ".join(concept_names(g2_all(content, "creator")))
        or provider_credit(item)
    )
    headline, _ = headlines(content)
    caption_text = text_of(caption)
    guid = item.get("guid") or (renditions[0]["href"] if renditions else "")
    return ImageRecord(
        source_uri=guid[:500],
        href=fetchable(best_rendition(renditions)),
        caption=caption_text,
        credit=credit,
        alt=headline or caption_text,
        renditions=renditions,
    )


def pictures_in(content_set):
    found = []
    for content in content_set if content_set is not None else ():
        mimetype = (content.get("contenttype") or "").lower()
        is_image = not mimetype or mimetype.startswith("image/")
        if local(content.tag) == "remoteContent" and content.get("href") and is_image:
            found.append(rendition_of(content, len(found)))
    return found


def rendition_of(element, number):
    return {
        "name": qcode_code(element, "rendition") or str(number + 1),
        "href": str(element.get("href"))[:1000],
        "width": element.get("width"),
        "height": element.get("height"),
        "mimetype": element.get("contenttype") or "",
        "usage": "",
    }


def fetchable(href):
    """`href` if it can be fetched (http, https, or a path for --media-dir); an
    identifier such as a tag: or urn: URI is kept only as the picture's
    identity."""
    try:
        scheme = urlsplit(href or "").scheme.lower()
    except ValueError:  # "http://[" and other malformed addresses
        return ""
    return href if scheme in ("", "http", "https") else ""
