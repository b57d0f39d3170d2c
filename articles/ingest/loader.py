"""The one loader: validate, sanitize and upsert each record, matched on
Article.source_uri.

Records are loaded in batches, one transaction each. New articles of a batch
are written in bulk (a few queries for the whole batch); changed ones, and the
new ones of a batch whose bulk write failed, go one by one, each in its own
savepoint, so a bad record fails alone, with its position and reason, and
leaves nothing half-written.

Outcomes per record: created, updated, unchanged, skipped (not an article, a
duplicate, or edited locally) or failed (with the reason). Nothing an editor
wrote is overwritten: `source_checksum` is a hash of the article's content as
the importer last wrote it, and an article whose content no longer hashes to
it has been edited since, so a changed source record is skipped and reported.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.text import slugify

from articles import followup, publishing
from articles.freshness import bulk_writes
from articles.models import (
    MAX_TAGS_PER_ARTICLE,
    Article,
    ArticleTag,
    Author,
    Byline,
    Image,
    Section,
    Tag,
    better_tag_name,
    get_or_create_tag,
    normal_tag_name,
    quoted,
    respell_tags,
    tag_key,
    too_long,
)
from articles.publishing import Loaded
from articles.sanitize import sanitize_body
from articles.structured_data import UPDATE_THRESHOLD

from .image_files import ImageRefused, image_file
from .limits import oversized
from .records import ArticleRecord, Failed, Skipped
from .vectors import can_defer, defer_in_this_transaction

DEFAULT_SECTION = ("News", "news")
EDITED_LOCALLY = (
    "edited locally since it was imported; the source's changes were not applied"
)
# Lengths checked here, since SQLite does not enforce them (PostgreSQL raises).
LIMITS = {
    "source_uri": 500,
    "headline": 300,
    "kicker": 100,
    "credit": 200,
    "language": 20,
    "canonical_url": 500,
}
# Records are loaded in batches, one transaction each: the first is small, so
# the first articles appear soon, and each next one twice as large, up to this.
FIRST_BATCH = 100
MAX_BATCH = 1000
AUTHOR_NAME_LIMIT = 200
DECK_LIMIT = 5000


@dataclass
class Problem:
    source: str
    position: str
    message: str

    def __str__(self):
        where = ", ".join(p for p in (self.source, self.position) if p)
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list = field(default_factory=list)
    skips: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    touched: list = field(default_factory=list)  # pks created or updated

    @property
    def total(self):
        return self.created + self.updated + self.unchanged + self.skipped + self.failed

    def fail(self, source, position, message):
        self.failed += 1
        self.failures.append(Problem(str(source), position, message))

    def skip(self, source, position, message):
        self.skipped += 1
        self.skips.append(Problem(str(source), position, message))


class RecordFailed(Exception):
    pass


# What fails one record (and, on the bulk path, sends its batch one by one).
LOAD_ERRORS = (ValidationError, DatabaseError, ValueError, ImageRefused, OSError)


def checksum(state):
    """The hash stored in Article.source_checksum."""
    data = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def stable_body(html):
    """Sanitize until stable, so saving (which sanitizes again) changes nothing."""
    for _ in range(3):
        clean = sanitize_body(html)
        if clean == html:
            break
        html = clean
    return html


def article_state(article, author_ids, tag_ids, image_uri):
    return {
        "headline": article.headline,
        "kicker": article.kicker,
        "deck": article.deck,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at.isoformat()
        if article.published_at
        else None,
        "section": article.section_id,
        "credit": article.credit,
        "language": article.language,
        "canonical_url": article.canonical_url,
        "authors": list(author_ids),
        "tags": sorted(tag_ids),
        "image": image_uri or "",
    }


def current_state(article):
    """The state of a stored article, as `article_state` hashes it."""
    author_ids = list(
        Byline.objects.filter(article=article)
        .order_by("position", "pk")
        .values_list("author_id", flat=True)
    )
    tag_ids = list(
        ArticleTag.objects.filter(content_object=article).values_list(
            "tag_id", flat=True
        )
    )
    image_uri = article.hero_image.source_uri if article.hero_image_id else ""
    return article_state(article, author_ids, tag_ids, image_uri)


class Loader:
    def __init__(
        self,
        *,
        section=None,
        default_author="",
        status=None,
        media_dir=None,
        fetch_images=False,
        write_files=True,
        batch_size=MAX_BATCH,
        on_outcome=None,
        defer_search=False,
    ):
        self.forced_section = section
        self.default_author = default_author
        self.status = status
        self.media_dir = media_dir
        self.fetch_images = fetch_images
        self.write_files = write_files
        self.batch_size = batch_size
        # Called with (item, outcome) for every item, in order, as it is decided.
        self.on_outcome = on_outcome
        self.result = ImportResult()
        self.seen_ids = set()  # articles this run has met: later duplicates are skipped
        self._batch = None
        self._pending = []  # (item, source) waiting for the next flush
        self._next_batch = min(FIRST_BATCH, batch_size)
        # PostgreSQL: search vectors computed by a task beside the import
        # (see vectors.py).
        self.defer_search = defer_search
        self._deferring = False
        self._batch_start = 0  # result.touched[_batch_start:] is the open batch's
        self._pictures = set()  # pks of the images the open batch stored
        self._clear_caches()

    def _clear_caches(self):
        self._authors = {}
        self._tags = {}
        self._tag_names = {}  # {key: the name as this run last saw it stored}
        self._sections = {}

    # Transactions: records are loaded in batches, one transaction each (new
    # articles in bulk, the rest each in its own savepoint), so a killed run
    # loses at most the open batch (never half an article) and a failed record
    # leaves no trace. Each batch also records the follow-up work its articles
    # need (followup.py), so a killed run's is still on record.

    def _begin(self):
        if self._batch is None:
            self._deferring = self.defer_search and can_defer()
            self._batch_start = len(self.result.touched)
            self._pictures = set()
            self._batch = transaction.atomic()
            self._batch.__enter__()
            if self._deferring:
                defer_in_this_transaction()

    def commit(self):
        """Load what is pending and commit it."""
        self.flush()
        if self._batch is not None:
            followup.record(
                self.result.touched[self._batch_start :],
                pictures=self._pictures,
                vectors=self._deferring,
            )
            batch, self._batch = self._batch, None
            batch.__exit__(None, None, None)

    def abort(self, exc):
        self._pending = []
        if self._batch is not None:
            batch, self._batch = self._batch, None
            batch.__exit__(type(exc), exc, exc.__traceback__)

    def handle(self, item, source):
        """Queue one parser item; the batch is loaded when it is full."""
        self._pending.append((item, str(source)))
        if len(self._pending) >= self._next_batch:
            self.commit()
            self._next_batch = min(self._next_batch * 2, self.batch_size)

    def flush(self):
        """Load the pending items (in the open transaction)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        self._begin()
        with bulk_writes():
            known = self._known(pending)
            unchanged = self._unchanged_in_bulk(pending, known)
            created = self._create_in_bulk(pending, known)
            for item, source in pending:
                if id(item) in created:
                    outcome = self._created(item, source, created[id(item)])
                elif id(item) in unchanged and unchanged[id(item)] not in self.seen_ids:
                    outcome = self._unchanged(item, source, unchanged[id(item)])
                else:
                    outcome = self._handle_one(item, source)
                if self.on_outcome:
                    self.on_outcome(item, outcome)

    def _handle_one(self, item, source):
        if isinstance(item, Skipped):
            self.result.skip(source, item.position, item.reason)
            return "skipped"
        if isinstance(item, Failed):
            self.result.fail(source, item.position, item.reason)
            return "failed"
        try:
            return self._load(item, source)
        except RecordFailed as exc:
            self.result.fail(source, item.position, str(exc))
            return "failed"

    def _created(self, record, source, pk):
        self.result.created += 1
        self.result.touched.append(pk)
        self.seen_ids.add(pk)
        for warning in record.warnings:
            self.result.warnings.append(Problem(source, record.position, warning))
        return "created"

    def _unchanged(self, record, source, pk):
        self.result.unchanged += 1
        self.seen_ids.add(pk)
        for warning in record.warnings:
            self.result.warnings.append(Problem(source, record.position, warning))
        return "unchanged"

    def _load(self, record: ArticleRecord, source):
        if record.problems:
            raise RecordFailed("; ".join(record.problems))
        for attempt in range(3):
            try:
                with transaction.atomic():
                    outcome = self._upsert(record, source)
                break
            except IntegrityError as exc:
                # Another import wrote the same source (or slug) meanwhile: the
                # savepoint is gone, look again.
                self._clear_caches()
                if attempt == 2:
                    raise RecordFailed(f"database conflict: {exc}") from exc
            except RecordFailed:
                # What the savepoint created (a section, an author, a tag) is gone.
                self._clear_caches()
                raise
            except LOAD_ERRORS as exc:
                self._clear_caches()
                message = "; ".join(getattr(exc, "messages", [])) or str(exc)
                raise RecordFailed(message) from exc
        for warning in record.warnings:
            self.result.warnings.append(Problem(source, record.position, warning))
        return outcome

    # The batch in bulk: one look-up for its known records, then the unchanged
    # ones are recognised and the new ones created, a few queries each.

    def _well_formed(self, pending):
        return [
            item
            for item, _ in pending
            if isinstance(item, ArticleRecord) and item.source_uri and not item.problems
        ]

    def _known(self, pending):
        """{source_uri: (pk, source_checksum, published_at, hero image uri)}."""
        uris = {record.source_uri for record in self._well_formed(pending)}
        if not uris:
            return {}
        rows = Article.objects.filter(source_uri__in=uris).values_list(
            "source_uri",
            "pk",
            "source_checksum",
            "published_at",
            "hero_image__source_uri",
        )
        return {uri: rest for uri, *rest in rows}

    def _unchanged_in_bulk(self, pending, known):
        """{id(record): pk} of the batch's known records whose source is unchanged.

        The state each record would write is hashed as `_upsert` does and
        compared with the stored `source_checksum`. Anything else (a change, a
        duplicate, an image not yet imported, an error) is left to the
        one-by-one path, which decides again, with the record's warnings as
        they were.
        """
        records, seen = [], set()
        for record in self._well_formed(pending):
            if record.source_uri in known and record.source_uri not in seen:
                seen.add(record.source_uri)
                records.append(record)
        if not records:
            return {}
        saved = [list(record.warnings) for record in records]
        unchanged = {}
        try:
            with transaction.atomic():  # authors or tags it creates, if it fails
                wanted_tags = [self._wanted_tags(record) for record in records]
                self._resolve_tags(
                    {k: n for wanted in wanted_tags for k, n in wanted.items()}
                )
                for record, wanted in zip(records, wanted_tags, strict=True):
                    pk, stored, published_at, hero_uri = known[record.source_uri]
                    if pk in self.seen_ids:
                        continue
                    state = self._known_state(record, wanted, published_at, hero_uri)
                    if state is not None and checksum(state) == stored:
                        unchanged[id(record)] = pk
        except (RecordFailed, IntegrityError, *LOAD_ERRORS):
            self._clear_caches()
            unchanged = {}
        for record, warnings in zip(records, saved, strict=True):
            if id(record) not in unchanged:
                record.warnings[:] = warnings
        return unchanged

    def _known_state(self, record, wanted_tags, published_at, hero_uri):
        """The state `_upsert` would hash for a known record, or None if unsure."""
        warnings = list(record.warnings)
        try:
            values = self._values(record)
            section_id = self._section_id(record.section)
            author_ids = self._author_ids(record)
            self._publishable(record, values, author_ids)
        except RecordFailed:
            record.warnings[:] = warnings
            return None
        image_uri = ""
        if record.image is not None and record.image.source_uri:
            if record.image.source_uri != hero_uri:
                return None  # a new picture: fetched and stored one by one
            image_uri = hero_uri
        if values["published_at"] is None:
            values["published_at"] = published_at
        article = Article(section_id=section_id, **values)
        tag_ids = [self._tags[key] for key in wanted_tags]
        return article_state(article, author_ids, tag_ids, image_uri)

    def _create_in_bulk(self, pending, known):
        """Create the batch's new articles in bulk: {id(record): article pk}.

        New means: a well-formed record whose source is not in the database
        and not earlier in the batch. Anything else, and every new record if
        the bulk write fails, is left to the one-by-one path.
        """
        records = self._well_formed(pending)
        if not records:
            return {}
        known = set(known)
        new, values = [], []
        for record in records:
            if record.source_uri in known:
                continue
            known.add(record.source_uri)
            warnings = list(record.warnings)
            try:
                values.append(self._values(record))
            except RecordFailed:
                record.warnings[:] = warnings
                continue  # fails, with its reason, on the one-by-one path
            new.append((record, warnings))
        if not new:
            return {}
        try:
            with transaction.atomic():
                pks = self._insert_new([r for r, _ in new], values)
        except (RecordFailed, IntegrityError, *LOAD_ERRORS):
            self._clear_caches()
            for record, warnings in new:
                record.warnings[:] = warnings
            return {}
        return {id(record): pk for (record, _), pk in zip(new, pks, strict=True)}

    def _insert_new(self, records, values):
        wanted_tags = [self._wanted_tags(record) for record in records]
        self._resolve_tags({k: n for wanted in wanted_tags for k, n in wanted.items()})
        articles, links = [], []
        for record, values_, wanted in zip(records, values, wanted_tags, strict=True):
            section_id = self._section_id(record.section)
            author_ids = self._author_ids(record)
            self._publishable(record, values_, author_ids)
            tag_ids = [self._tags[key] for key in wanted]
            image = self._image(record, None)
            if (
                values_["published_at"] is None
                and values_["status"] == Article.Status.PUBLISHED
            ):
                values_["published_at"] = timezone.now()
            article = Article(section_id=section_id, hero_image=image, **values_)
            state = article_state(
                article, author_ids, tag_ids, image and image.source_uri
            )
            article.source_checksum = checksum(state)
            articles.append(article)
            links.append((author_ids, tag_ids))
        self._assign_slugs(articles)
        return publishing.load_batch(
            [
                Loaded(article, author_ids, tag_ids)
                for article, (author_ids, tag_ids) in zip(articles, links, strict=True)
            ],
            reserve_ids=self._reserve_ids,
        )

    def _reserve_ids(self, articles):
        """On PostgreSQL, give the new articles their ids up front; True if done.

        Links can then be written before the articles (foreign keys are checked
        at commit), so the search vector, which includes tag names, is computed
        once, as each article is inserted, instead of again for every article
        when its tag links arrive (see migration 0002_search).
        """
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s)",
                [Article._meta.db_table, len(articles)],
            )
            for article, (pk,) in zip(articles, cursor.fetchall(), strict=True):
                article.pk = pk
        return True

    def _assign_slugs(self, articles):
        bases = [self._slug_base(a.headline or "untitled") for a in articles]
        taken = set(
            Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True)
        )
        for article, base in zip(articles, bases, strict=True):
            article.slug = base if base not in taken else self._free_slug(base, taken)
            taken.add(article.slug)

    # One record

    def _values(self, record):
        if reason := oversized(record):
            raise RecordFailed(reason)
        values = {
            "source_uri": record.source_uri,
            "headline": record.headline,
            "kicker": record.kicker,
            "credit": record.credit,
            "language": record.language or "en",
            "canonical_url": record.canonical_url,
        }
        for name, limit in LIMITS.items():
            if len(values[name]) > limit:
                raise RecordFailed(
                    f"{name.replace('_', ' ')} is {len(values[name])} characters long; "
                    f"the limit is {limit}"
                )
        if len(record.deck) > DECK_LIMIT:
            raise RecordFailed(
                f"deck is {len(record.deck)} characters; the limit is {DECK_LIMIT}"
            )
        values["deck"] = record.deck
        values["body"] = stable_body(record.body)
        status = self.status or record.status or Article.Status.PUBLISHED
        if record.kill:
            status = record.status  # the source's kill overrides --status
        values["status"] = status
        values["published_at"] = record.published_at
        values["published_date_only"] = bool(
            record.published_at and record.published_date_only
        )
        if record.published_at:
            # Readers see the source's "Updated" time, never the import's; as
            # on the site itself, a version saved within the hour is no update,
            # and a source that says nothing of updates shows none.
            later = (
                record.updated_at is not None
                and record.updated_at - record.published_at > UPDATE_THRESHOLD
            )
            values["public_updated_at"] = (
                record.updated_at if later else record.published_at
            )
        return values

    def _publishable(self, record, values, author_ids):
        """The write path's rule (but for the byline, which is a warning of
        its own): a record that may not be published is imported as a draft,
        with a warning."""
        if values["status"] != Article.Status.PUBLISHED:
            return
        probe = Article(
            headline=values["headline"], body=values["body"], credit=values["credit"]
        )
        if found := publishing.problems(probe, bylines=False):
            record.warnings.append(
                f"{' and '.join(found)}: imported as a draft, not published"
            )
            values["status"] = Article.Status.DRAFT

    def _upsert(self, record, source):
        values = self._values(record)
        section_id = self._section_id(record.section)
        author_ids = self._author_ids(record)
        self._publishable(record, values, author_ids)
        tag_ids = self._tag_ids(record)
        existing = (
            Article.objects.select_related("hero_image")
            .filter(source_uri=record.source_uri)
            .first()
        )
        if existing is not None and existing.pk in self.seen_ids:
            self.result.skip(
                source,
                record.position,
                f"{record.source_uri} appears earlier in this run (the first is kept)",
            )
            return "skipped"
        # A killed story that ran comes down; one that never ran stays a draft.
        if record.kill and existing and existing.status != Article.Status.DRAFT:
            values["status"] = Article.Status.WITHDRAWN
        image = self._image(record, existing)
        image_uri = image.source_uri if image else ""
        if existing is not None and values["published_at"] is None:
            values["published_at"] = existing.published_at
        if (
            existing is None
            and values["published_at"] is None
            and values["status"] == Article.Status.PUBLISHED
        ):
            values["published_at"] = timezone.now()
        desired = Article(section_id=section_id, **values)
        state = article_state(desired, author_ids, tag_ids, image_uri)
        new_checksum = checksum(state)

        if existing is None:
            return self._create(desired, new_checksum, author_ids, tag_ids, image)
        self.seen_ids.add(existing.pk)
        if existing.source_checksum == new_checksum:
            self.result.unchanged += 1
            return "unchanged"
        if checksum(current_state(existing)) != existing.source_checksum:
            if record.kill and values["status"] != existing.status:
                # A kill takes the story down even where editors changed it;
                # their edits stay, for the record.
                existing.status = values["status"]
                existing.save()
                self.result.updated += 1
                self.result.touched.append(existing.pk)
                return "updated"
            self.result.skip(source, record.position, EDITED_LOCALLY)
            return "skipped"
        return self._update(
            existing, values, section_id, new_checksum, author_ids, tag_ids, image
        )

    def _create(self, article, new_checksum, author_ids, tag_ids, image):
        article.slug = self._free_slug(self._slug_base(article.headline or "untitled"))
        article.source_checksum = new_checksum
        article.hero_image = image
        publishing.load_batch([Loaded(article, author_ids, tag_ids)])
        self.result.created += 1
        self.result.touched.append(article.pk)
        self.seen_ids.add(article.pk)
        return "created"

    def _update(
        self, article, values, section_id, new_checksum, author_ids, tag_ids, image
    ):
        for name, value in values.items():
            setattr(article, name, value)
        article.section_id = section_id
        article.hero_image = image
        article.source_checksum = new_checksum
        publishing.load_batch([Loaded(article, author_ids, tag_ids)])
        self.result.updated += 1
        self.result.touched.append(article.pk)
        return "updated"

    def _slug_base(self, headline):
        return slugify(headline, allow_unicode=True)[:180].strip("-") or "article"

    def _free_slug(self, base, taken=()):
        """`base`, or `base-N` with the lowest N free (and not in `taken`)."""
        if base not in taken and not Article.objects.filter(slug=base).exists():
            return base
        taken = set(taken) | set(
            Article.objects.filter(slug__startswith=f"{base}-").values_list(
                "slug", flat=True
            )
        )
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    # Sections, authors, tags, images (cached for the run)

    def _section_id(self, candidates):
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

    def _author_ids(self, record):
        names = record.authors or ([self.default_author] if self.default_author else [])
        if not names:
            record.warnings.append("no byline: no author linked (see --default-author)")
        ids = []
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
                    author = Author.objects.create(
                        name=name, slug=self._author_slug(name)
                    )
                self._authors[key] = author.pk
            if self._authors[key] not in ids:
                ids.append(self._authors[key])
        return ids

    def _author_slug(self, name):
        base = slugify(name, allow_unicode=True)[:180] or "author"
        taken = set(
            Author.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _wanted_tags(self, record):
        """{key: name} of the record's tags, cleaned and capped (with warnings)."""
        wanted = {}
        for name in record.tags:
            name = normal_tag_name(name or "")
            if not name:
                continue
            if reason := too_long(name):
                record.warnings.append(f"tag {quoted(name)} dropped: it is {reason}")
                continue
            wanted.setdefault(tag_key(name), name)
        if len(wanted) > MAX_TAGS_PER_ARTICLE:
            record.warnings.append(
                f"{len(wanted)} tags: only the first {MAX_TAGS_PER_ARTICLE} were kept"
            )
            wanted = dict(list(wanted.items())[:MAX_TAGS_PER_ARTICLE])
        return wanted

    def _resolve_tags(self, wanted):
        """Find or create the tags {key: name} not yet known to this run.

        New tags are inserted in bulk; the unique `key` keeps concurrent
        writers to one tag each, so whatever the insert skipped is read back,
        and a tag still missing (its slug was taken) goes through
        get_or_create_tag, which picks a free slug.
        """
        self._respell({key: wanted[key] for key in wanted if key in self._tags})
        missing = [key for key in wanted if key not in self._tags]
        if not missing:
            return
        found = Tag.objects.filter(key__in=missing).values_list("key", "pk", "name")
        for key, pk, name in found:
            self._tags[key], self._tag_names[key] = pk, name
        self._respell({key: wanted[key] for key in missing if key in self._tags})
        missing = [key for key in missing if key not in self._tags]
        if not missing:
            return
        slugs = set()
        new = []
        for key in missing:
            tag = Tag(name=wanted[key], key=key)
            tag.slug = tag.slugify(tag.name)
            if tag.slug not in slugs:  # a twin waits for get_or_create_tag
                slugs.add(tag.slug)
                new.append(tag)
        Tag.objects.bulk_create(new, ignore_conflicts=True)
        found = Tag.objects.filter(key__in=missing).values_list("key", "pk", "name")
        for key, pk, name in found:
            self._tags[key], self._tag_names[key] = pk, name
        for key in missing:
            if key not in self._tags:
                tag = get_or_create_tag(wanted[key])
                self._tags[key], self._tag_names[key] = tag.pk, tag.name

    def _respell(self, offered):
        """Give known tags a better spelling offered by this run's records."""
        better = {
            key: name
            for key, name in offered.items()
            if better_tag_name(self._tag_names[key], name) != self._tag_names[key]
        }
        if better:
            respell_tags(better)
            self._tag_names.update(better)

    def _tag_ids(self, record):
        wanted = self._wanted_tags(record)
        self._resolve_tags(wanted)
        return [self._tags[key] for key in wanted]

    def _image(self, record, existing):
        wanted = record.image
        if wanted is None or not wanted.source_uri:
            return None
        if (
            existing is not None
            and existing.hero_image_id
            and existing.hero_image.source_uri == wanted.source_uri
        ):
            return existing.hero_image
        image = (
            Image.objects.filter(source_uri=wanted.source_uri).order_by("pk").first()
        )
        if image is not None:
            return image
        content = None
        if wanted.href and self.write_files:
            try:
                content = image_file(
                    wanted.href, media_dir=self.media_dir, fetch=self.fetch_images
                )
            except ImageRefused as exc:
                record.warnings.append(f"image not imported: {exc}")
                return None
        image = Image(
            alt=(wanted.alt or wanted.caption or record.headline)[:300],
            caption=wanted.caption,
            credit=wanted.credit[:200],
            source_uri=wanted.source_uri[:500],
            renditions=wanted.renditions,
        )
        if content is not None:
            storage = image.file.storage
            name = image.file.field.generate_filename(image, content.name)
            if storage.exists(name):
                image.file.name = name
                image.save()
            else:
                image.file.save(content.name, content, save=True)
            self._pictures.add(image.pk)
        else:
            image.save()
        return image

    # After the run

    def known_tags(self, line):
        """Names of existing tags that occur in `line` (for run-on tag lines)."""
        self.flush()  # tags of the records read before this one exist too
        text = " ".join(line.split()).casefold()
        return list(
            Tag.objects.alias(line=Value(text))
            .filter(line__contains=F("key"))
            .values_list("name", flat=True)[:200]
        )

    # Follow-up work, for every article waiting for it: this run's and any an
    # interrupted run left (followup.py).

    def hand_over_follow_up(self):
        """Once the last batch commits, hand all pending work to the queue."""
        followup.hand_over()

    def refresh_related(self, progress=None, chunk=500):
        """Refresh, here and now, the related links of every article waiting
        for them (benchmarks time it)."""
        followup.refresh_related(progress=progress, chunk=chunk)
