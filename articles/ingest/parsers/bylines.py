"""Bylines as sources write them, split into people and a credit.

Wire copy and feeds put more than names in a byline: a prefix ("By", "Von"),
an agency ("Jane Doe, Reuters", "Jane Doe (AP)", "JANE DOE / dpa",
"Karl Melander/TT"), a dateline ("David Smith in Washington"), a job title
("Jason Burke Africa correspondent", "Jane Doe, Staff Writer"), notes
("(earlier)"), an address ("jane@example.org (Jane Doe)"), or no person at all
("NTB", "By Staff", "Staff and agencies", "futurezone/KN"). People keep their
order; agencies, desks and outlets become the credit; titles, places and notes
go. No person is ever made up: a byline that names nobody is a credit as
written. Pure functions, no database.
"""

import re

from .fields import clean_text

# Agencies and wire services: a credit, never a person.
AGENCIES = {
    "aap", "abc", "adn", "afp", "ag", "ana", "anp", "ansa", "ap", "apa",
    "associated press", "australian associated press", "belga", "bloomberg",
    "business wire", "businesswire", "ctk", "dapd", "ddp", "dpa", "efe", "epa", "epd",
    "globe newswire", "kna", "kyodo", "lusa", "ntb", "pa", "pa media", "pap",
    "press association", "pr newswire", "reuters", "ritzau", "sda", "sid", "stt",
    "tass", "tt", "upi", "xinhua", "yonhap",
}  # fmt: skip
# Words that make a byline part an organisation rather than a person.
ORGANISATION_WORDS = {
    "agencies", "agency", "association", "bureau", "chronicle", "database", "desk",
    "editors", "editorial", "foundation", "gazette", "gmbh", "herald", "inc",
    "institute", "journal", "ltd", "magazine", "media", "ministry", "network",
    "news", "newsroom", "online", "press", "radio", "redaktion", "reporters",
    "service", "staff", "team", "television", "times", "tribune", "university",
    "wire", "wires", "zeitung",
}  # fmt: skip
# A job title ends in one of these ("Africa correspondent", "Staff Writer")...
ROLE_WORDS = {
    "analyst", "columnist", "correspondent", "correspondents", "critic", "editor",
    "photographer", "producer", "reporter", "writer",
}  # fmt: skip
# ...and may start with these ("Chief political correspondent").
TITLE_WORDS = {
    "assistant", "associate", "chief", "contributing", "deputy", "executive",
    "foreign", "managing", "political", "senior", "special", "sport", "sports",
    "staff",
}  # fmt: skip

# Bylines are short; what is longer is cut here, so that no pattern below
# ever reads a hostile megabyte.
BYLINE_LIMIT = 1000
_PREFIX = re.compile(r"^\s*(?:by|von|av|par|por|di|door|af)\s+", re.IGNORECASE)
# Separators between names, kept so that a credit reads as it was written.
_SEPARATOR = re.compile(
    r"(,\s+|;\s*|\s*\|\s*|\s+[/–—-]\s+|\s+(?:and|und|och|og|et|y|&)\s+)",
    re.IGNORECASE,
)
# "Reporting by Jane Doe" names a writer; "Editing by John Roe" no byline.
_WRITTEN_BY = re.compile(
    r"^(?:additional\s+)?(?:reporting|writing|written|text|words)\s+by\s+", re.I
)
_NOT_WRITTEN_BY = re.compile(
    r"^(?:editing|edited|compiled|graphics?|photos?|photography|pictures|video"
    r"|illustrations?)\s+by\s+",
    re.I,
)
# "Jane Doe for The Washington Post", "Special to the Chronicle".
_WRITING_FOR = re.compile(r"(?:^|\s+)(?:special\s+to|for)\s+(?P<outlet>.+)$", re.I)
_DATELINE = re.compile(r"\s+in\s+[A-Z][\w .'-]*$")
_EMAIL = re.compile(r"<?\b(?:mailto:)?[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+\b>?")
_NOTE = re.compile(r"\s*\(([^()]*)\)")
_ROMAN = re.compile(r"^(?:[IVX]+|JR\.?|SR\.?)$")


def is_agency(part):
    key = clean_text(part).casefold().strip(" .")
    return key in AGENCIES


def is_organisation(part):
    words = clean_text(part).casefold().replace("-", " ").split()
    if not words:
        return False
    if is_agency(part) or words[0] == "the":
        return True
    return any(w.strip(".,") in ORGANISATION_WORDS for w in words)


def split_byline(byline, *, credits=()):
    """(people, credit) from a byline such as "By Ann Lee, Bo Ek and Cy Li, dpa".

    `credits` are names the source gave as its credit (ninjs `infosources`): a
    part naming one of them is the credit, whatever it looks like.
    """
    text = _PREFIX.sub("", clean_text(byline)[:BYLINE_LIMIT])
    if not text:
        return [], ""
    known = set()
    for credit in (clean_text(c)[:BYLINE_LIMIT] for c in credits):
        known |= {p.strip().casefold() for p in [credit, *_SEPARATOR.split(credit)]}
    known.discard("")
    tokens = _SEPARATOR.split(text)
    people, found = [], []  # found: (token index, credit text)
    after_dateline = False
    for index in range(0, len(tokens), 2):
        separator = tokens[index - 1] if index else ""
        part, place = strip_dateline(tokens[index].strip())
        if after_dateline and separator.startswith(",") and is_place(part):
            continue  # "Ashifa Kassam in Stanstead, Quebec"
        after_dateline = place
        for kind, value in classify(part, known):
            if kind == "person" and value not in people:
                people.append(value)
            elif kind == "credit":
                found.append((index, value))
    return people, credit_text(tokens, found, as_written=not people)


def add_byline(record, byline, *, credits=()):
    """Add a byline's people to `record.authors` and its credit, if the record
    has none yet."""
    people, credit = split_byline(byline, credits=credits)
    for person in people:
        if person not in record.authors:
            record.authors.append(person)
    if credit and not record.credit:
        record.credit = credit


def strip_dateline(part):
    """(`part` without a trailing " in Place", whether it had one)."""
    stripped = _DATELINE.sub("", part)
    return stripped, stripped != part


def is_place(part):
    """A lone word after "…in Stanstead," is the rest of the place."""
    return len(part.split()) == 1 and not is_agency(part)


def classify(part, known):
    """[(kind, text)] for one part of a byline: "person" or "credit"; titles,
    notes and addresses give nothing."""
    part, notes = unwrap_notes(part)
    results = [("credit", note) for note in notes]
    part = _WRITTEN_BY.sub("", part.strip(" ,;:-–—"))
    if not part or not re.search(r"\w", part) or _NOT_WRITTEN_BY.match(part):
        return results
    if part.casefold() in known:
        return [("credit", part), *results]
    writing_for = _WRITING_FOR.search(part)
    if writing_for:
        outlet = writing_for["outlet"].strip()
        person = part[: writing_for.start()].strip()
        if not person or is_organisation(outlet) or is_code(outlet):
            return [*classify(person, known), ("credit", outlet), *results]
    name, slash, agency = part.rpartition("/")
    if slash and name.strip() and agency.strip():
        if looks_like_name(name.strip()):
            # "Karl Melander/TT": the person, then their agency.
            return [*classify(name, known), ("credit", agency.strip()), *results]
        return [("credit", part), *results]  # "futurezone/KN", "APA/dpa"
    part = without_title(part)
    if not part:
        return results
    if is_organisation(part) or is_desk(part) or is_code(part):
        return [("credit", part), *results]
    return [("person", person_name(part)), *results]


def unwrap_notes(part):
    """(`part` without its addresses and bracketed notes, credits the notes
    name). "jane@example.org (Jane Doe)" is Jane Doe; "(AP)" is a credit;
    "(now)" goes."""
    notes = [n.strip() for n in _NOTE.findall(part)]
    outside = _NOTE.sub(" ", part)
    if _EMAIL.search(outside):
        outside = _EMAIL.sub(" ", outside)
        if not outside.strip() and notes:
            outside, notes = notes[0], notes[1:]
    credits = [n for n in notes if is_organisation(n) or is_code(n)]
    return " ".join(outside.split()), credits


def without_title(part):
    """A part without the job title that ends it: "Jason Burke Africa
    correspondent" is Jason Burke; "Staff Writer" is nothing; "Associated
    Press Writer" is Associated Press."""
    words = part.split()
    if len(words) < 2 or words[-1].casefold() not in ROLE_WORDS:
        return part
    before = words[-2]
    titled = before.islower() or before.casefold() in TITLE_WORDS
    if not (words[-1].islower() or titled or is_organisation(" ".join(words[:-1]))):
        return part  # a surname: "Jane Writer"
    words.pop()
    dropped_title = False
    while words and (words[-1].islower() or words[-1].casefold() in TITLE_WORDS):
        words.pop()
        dropped_title = True
    if is_organisation(" ".join(words)):
        return " ".join(words)
    if len(words) > 2 and not dropped_title:
        words.pop()  # the desk or beat before the title: "Africa", "Environment"
    return " ".join(words) if len(words) >= 2 else ""


def looks_like_name(text):
    """A person's name before "/Agency": two words or more, not an outlet."""
    return len(text.split()) >= 2 and not (is_organisation(text) or is_desk(text))


def is_desk(part):
    """ "Guardian sport", "Reuters staff": a name ending in a lower-case word
    after a capitalised one is a desk or an outlet, not a person."""
    words = part.split()
    return (
        len(words) >= 2
        and words[-1].islower()
        and any(w[:1].isupper() for w in words[:-1])
    )


def is_code(part):
    """An agency's short code in capitals ("KN", "DHA", "STT–AFP"), not a name."""
    return bool(re.fullmatch(r"[A-ZÄÖÜÅ]{2,5}(?:[-–/][A-ZÄÖÜÅ]{2,5})*", part.strip()))


def person_name(part):
    """A name as shown: one written in capitals ("MICHAEL D. SHEAR") in
    ordinary case; others as written."""
    letters = [c for c in part if c.isalpha()]
    if len(part.split()) < 2 or not all(c.isupper() for c in letters):
        return part
    return " ".join(w if _ROMAN.match(w) else w.title() for w in part.split())


def credit_text(tokens, found, *, as_written):
    """The credit: as the byline wrote it ("Staff and agencies") when it
    names nobody, else its credits joined by commas."""
    seen, text = set(), ""
    previous = None
    for index, value in found:
        if value.casefold() in seen:
            continue
        seen.add(value.casefold())
        if not text:
            text = value
        elif as_written and previous is not None and index == previous + 2:
            text += tokens[index - 1] + value  # the separator the byline had
        else:
            text += ", " + value
        previous = index
    return text
