"""The sections and authors records name, found or created once a run.

Authors are matched on their name (case aside) and created when new; a section
must exist (matched on its name or slug), else the article goes to News.
"""

from django.db.models import Value
from django.db.models.functions import Upper
from django.utils.text import slugify

from articles.models import Author, Byline, Section
from articles.publishing import BylineRow

from .results import RecordFailed

DEFAULT_SECTION = ("News", "news")
AUTHOR_NAME_LIMIT = 200


class Catalogue:
    def __init__(self, *, section=None, default_author=""):
        self.forced_section = section  # --section: every article goes there
        self.default_author = default_author
        self.forget()

    def forget(self):
        """Drop what this run has looked up (a rolled-back savepoint may have
        created it)."""
        self._authors = {}
        self._sections = {}

    def section_id(self, candidates):
        if self.forced_section is not None:
            return self.forced_section.pk
        for name in candidates:
            key = name.casefold()
            if key not in self._sections:
                section = (
                    Section.objects.filter(name__iexact=name).first()
                    or Section.objects.filter(
                        slug=slugify(name, allow_unicode=True)
                    ).first()
                )
                self._sections[key] = section.pk if section else None
            if self._sections[key]:
                return self._sections[key]
        if "" not in self._sections:
            name, slug = DEFAULT_SECTION
            section = Section.objects.filter(slug=slug).first()
            if section is None:
                section, _ = Section.objects.get_or_create(
                    slug=slug, defaults={"name": name}
                )
            self._sections[""] = section.pk
        return self._sections[""]

    def look_up_authors(self, records):
        """Find the authors `records` name (a batch's) in one query, and create
        the new ones in one more: a batch's statements do not grow with the
        authors it brings."""
        spellings = {
            name: None
            for record in records
            for name in record.authors
            if len(name) <= AUTHOR_NAME_LIMIT and name.casefold() not in self._authors
        }
        if not spellings:
            return
        names = {}  # {key: the first spelling}, which a new author is given
        for name in spellings:
            names.setdefault(name.casefold(), name)
        # Both sides upper-cased by the database, as `name__iexact` compares
        # them (SQLite's UPPER knows ASCII letters only).
        found = (
            Author.objects.annotate(upper=Upper("name"))
            .filter(upper__in=[Upper(Value(name)) for name in spellings])
            .order_by("pk")
            .values_list("pk", "name")
        )
        for pk, name in found:
            # The first by pk, as `author_ids` would pick.
            if name.casefold() in names:
                self._authors.setdefault(name.casefold(), pk)
        new = {key: name for key, name in names.items() if key not in self._authors}
        if new:
            authors = [Author(name=name, slug=slug) for name, slug in author_slugs(new)]
            Author.objects.bulk_create(authors)
            self._authors.update(zip(new, (a.pk for a in authors), strict=True))

    def author_ids(self, record):
        names = record.authors or ([self.default_author] if self.default_author else [])
        if not names and not record.credit:
            record.warnings.append(
                "no byline or credit: published as the source gave it "
                "(see --default-author)"
            )
        # A role other than writing (a photographer) makes the id a BylineRow.
        roles = {p["name"].casefold(): role_of(p["role"]) for p in record.byline_roles}
        ids, rows = [], []
        for name in names:
            if len(name) > AUTHOR_NAME_LIMIT:
                raise RecordFailed(
                    f"author name is {len(name)} characters; "
                    f"the limit is {AUTHOR_NAME_LIMIT}"
                )
            key = name.casefold()
            if key not in self._authors:
                author = Author.objects.filter(name__iexact=name).order_by("pk").first()
                if author is None:
                    author = Author.objects.create(name=name, slug=author_slug(name))
                self._authors[key] = author.pk
            if self._authors[key] not in ids:
                ids.append(self._authors[key])
                role = roles.get(key, Byline.Role.WRITER)
                rows.append(
                    ids[-1] if role == Byline.Role.WRITER else BylineRow(ids[-1], role)
                )
        return rows


# The words sources use for a role (ninjs `people` from our export say
# "byline:photographer"; TT's bylines "Fotograf"), as Byline.Role values.
ROLE_WORDS = {
    Byline.Role.ADDITIONAL_REPORTING: {"reporting", "additional reporting"},
    Byline.Role.PHOTOGRAPHER: {"photographer", "photographs", "photo", "fotograf"},
    Byline.Role.VIDEO: {"video", "videographer"},
    Byline.Role.EDITOR: {"editor", "edited by", "redaktør", "redaktör"},
    Byline.Role.TRANSLATOR: {"translator", "translation", "oversetter", "översättare"},
}


def role_of(word):
    word = (word or "").casefold().removeprefix("byline:").strip()
    return next(
        (role for role, words in ROLE_WORDS.items() if word in words),
        Byline.Role.WRITER,
    )


def author_slug_base(name):
    return slugify(name, allow_unicode=True)[:180] or "author"


def author_slug(name, taken=()):
    """A free slug for a new author called `name` (and not in `taken`)."""
    base = author_slug_base(name)
    taken = set(taken) | set(
        Author.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def author_slugs(names):
    """(name, free slug) for new authors {key: name}: one query for the lot,
    one more for each whose slug is taken."""
    bases = [author_slug_base(name) for name in names.values()]
    taken = set(
        Author.objects.filter(slug__in=set(bases)).values_list("slug", flat=True)
    )
    pairs = []
    for name, base in zip(names.values(), bases, strict=True):
        slug = base if base not in taken else author_slug(name, taken)
        taken.add(slug)
        pairs.append((name, slug))
    return pairs
