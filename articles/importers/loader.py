"""The one loader: validate, sanitize and upsert each record in its own
transaction, matched on Article.source_uri.

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
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.text import slugify

from ..models import (
    MAX_TAGS_PER_ARTICLE,
    Article,
    ArticleTag,
    Author,
    Byline,
    Image,
    Section,
    Tag,
    clean_tag_name,
    get_or_create_tag,
    tag_key,
)
from ..related import refresh_related
from ..sanitize import sanitize_body
from .media import ImageRefused, image_file
from .records import ArticleRecord, Failed, Skipped

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
AUTHOR_NAME_LIMIT = 200
TAG_NAME_LIMIT = 100
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
        batch_size=100,
    ):
        self.forced_section = section
        self.default_author = default_author
        self.status = status
        self.media_dir = media_dir
        self.fetch_images = fetch_images
        self.write_files = write_files
        self.batch_size = batch_size
        self.result = ImportResult()
        self.seen_ids = set()  # articles this run has met: later duplicates are skipped
        self._batch = None
        self._in_batch = 0
        self._clear_caches()

    def _clear_caches(self):
        self._authors = {}
        self._tags = {}
        self._sections = {}

    # Transactions: records commit in small batches, each record in its own
    # savepoint, so a killed run loses at most the open batch (never half an
    # article) and a failed record leaves no trace.

    def _begin(self):
        if self._batch is None:
            self._batch = transaction.atomic()
            self._batch.__enter__()
            self._in_batch = 0

    def commit(self):
        if self._batch is not None:
            batch, self._batch = self._batch, None
            batch.__exit__(None, None, None)

    def abort(self, exc):
        if self._batch is not None:
            batch, self._batch = self._batch, None
            batch.__exit__(type(exc), exc, exc.__traceback__)

    def handle(self, item, source):
        """Load one parser item; returns its outcome."""
        source = str(source)
        if isinstance(item, Skipped):
            self.result.skip(source, item.position, item.reason)
            return "skipped"
        if isinstance(item, Failed):
            self.result.fail(source, item.position, item.reason)
            return "failed"
        self._begin()
        try:
            outcome = self._load(item, source)
        except RecordFailed as exc:
            self.result.fail(source, item.position, str(exc))
            outcome = "failed"
        self._in_batch += 1
        if self._in_batch >= self.batch_size:
            self.commit()
        return outcome

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
            except (
                ValidationError,
                DatabaseError,
                ValueError,
                ImageRefused,
                OSError,
            ) as exc:
                self._clear_caches()
                message = "; ".join(getattr(exc, "messages", [])) or str(exc)
                raise RecordFailed(message) from exc
        for warning in record.warnings:
            self.result.warnings.append(Problem(source, record.position, warning))
        return outcome

    # One record

    def _values(self, record):
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
        if status == Article.Status.PUBLISHED:
            missing = [
                what
                for what, value in (
                    ("headline", values["headline"]),
                    ("body", values["body"]),
                )
                if not value.strip()
            ]
            if missing:
                record.warnings.append(
                    f"no {' and no '.join(missing)}: imported as a draft, not published"
                )
                status = Article.Status.DRAFT
        values["status"] = status
        values["published_at"] = record.published_at
        return values

    def _upsert(self, record, source):
        values = self._values(record)
        section_id = self._section_id(record.section)
        author_ids = self._author_ids(record)
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
            self.result.skip(source, record.position, EDITED_LOCALLY)
            return "skipped"
        return self._update(
            existing, values, section_id, new_checksum, author_ids, tag_ids, image
        )

    def _create(self, article, new_checksum, author_ids, tag_ids, image):
        article.slug = self._free_slug(article.headline or "untitled")
        article.source_checksum = new_checksum
        article.hero_image = image
        article.save()
        self._write_links(article, author_ids, tag_ids, replace=False)
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
        article.save()
        self._write_links(article, author_ids, tag_ids, replace=True)
        self.result.updated += 1
        self.result.touched.append(article.pk)
        return "updated"

    def _write_links(self, article, author_ids, tag_ids, replace):
        if replace:
            Byline.objects.filter(article=article).delete()
            ArticleTag.objects.filter(content_object=article).delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=author_id, position=position)
            for position, author_id in enumerate(author_ids)
        )
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object=article, tag_id=tag_id) for tag_id in tag_ids
        )

    def _free_slug(self, headline):
        base = slugify(headline, allow_unicode=True)[:180].strip("-") or "article"
        if not Article.objects.filter(slug=base).exists():
            return base
        taken = set(
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

    def _tag_ids(self, record):
        wanted = {}
        for name in record.tags:
            name = clean_tag_name(name or "")
            if not name:
                continue
            if len(name) >= TAG_NAME_LIMIT:
                record.warnings.append(
                    f"tag dropped: longer than {TAG_NAME_LIMIT - 1} characters"
                )
                continue
            wanted.setdefault(tag_key(name), name)
        if len(wanted) > MAX_TAGS_PER_ARTICLE:
            record.warnings.append(
                f"{len(wanted)} tags: only the first {MAX_TAGS_PER_ARTICLE} were kept"
            )
            wanted = dict(list(wanted.items())[:MAX_TAGS_PER_ARTICLE])
        missing = [key for key in wanted if key not in self._tags]
        if missing:
            for key, pk in Tag.objects.filter(key__in=missing).values_list("key", "pk"):
                self._tags[key] = pk
            for key in missing:
                if key not in self._tags:
                    self._tags[key] = get_or_create_tag(wanted[key]).pk
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
        else:
            image.save()
        return image

    # After the run

    def known_tags(self, line):
        """Names of existing tags that occur in `line` (for run-on tag lines)."""
        text = " ".join(line.split()).casefold()
        return list(
            Tag.objects.alias(line=Value(text))
            .filter(line__contains=F("key"))
            .values_list("name", flat=True)[:200]
        )

    def refresh_related(self, progress=None):
        """Refresh related links of the articles this run created or updated."""
        ids = list(dict.fromkeys(self.result.touched))
        for start in range(0, len(ids), 500):
            chunk = Article.objects.filter(pk__in=ids[start : start + 500]).only(
                "pk", "section_id", "published_at", "status"
            )
            for article in chunk:
                refresh_related(article)
                if progress:
                    progress(1)
