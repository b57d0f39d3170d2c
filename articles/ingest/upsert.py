"""One record at a time, each in its own savepoint.

The path of changed articles, duplicates, new pictures, and of every record
the bulk path (bulk.py) left undecided: a bad record fails alone, with its
position and reason, and leaves nothing half-written. Nothing an editor wrote
is overwritten (matching.py), but for a source's kill, which takes a story
down.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import publishing
from articles.models import Article
from articles.publishing_batch import Loaded, load_batch

from .matching import EDITED_LOCALLY, article_state, checksum, edited_locally, stored
from .records import ArticleRecord, Failed, Skipped
from .results import LOAD_ERRORS, RecordFailed
from .slugs import free_slug, slug_base
from .values import KILL_REASON, article_values, date_filled, hold_back_unpublishable


def load_one(run, item, source):
    """Load one parser item (a record, or what the parser skipped or failed);
    returns its outcome."""
    if isinstance(item, Skipped):
        if item.image is not None and item.image.source_uri:
            _keep_picture(run, item, source)
        run.result.skip(source, item.position, item.reason)
        return "skipped"
    if isinstance(item, Failed):
        run.result.fail(source, item.position, item.reason)
        return "failed"
    try:
        return _load(run, item, source)
    except RecordFailed as exc:
        run.result.fail(source, item.position, str(exc))
        return "failed"


def _keep_picture(run, item, source):
    """A picture item's picture, in the media library (once)."""
    warnings = []
    try:
        with transaction.atomic():
            run.pictures.image(item.image, warnings)
    except LOAD_ERRORS as exc:
        run.forget()
        warnings.append(f"picture not kept: {exc}")
    run.result.warn(source, item.position, warnings)


def _load(run, record: ArticleRecord, source):
    if record.problems:
        raise RecordFailed("; ".join(record.problems))
    for attempt in range(3):
        try:
            with transaction.atomic():
                outcome = _upsert(run, record, source)
            break
        except IntegrityError as exc:
            # Another import wrote the same source (or slug) meanwhile: the
            # savepoint is gone, look again.
            run.forget()
            if attempt == 2:
                raise RecordFailed(f"database conflict: {exc}") from exc
        except RecordFailed:
            # What the savepoint created (a section, an author, a tag) is gone.
            run.forget()
            raise
        except LOAD_ERRORS as exc:
            run.forget()
            message = "; ".join(getattr(exc, "messages", [])) or str(exc)
            raise RecordFailed(message) from exc
    run.result.loaded(source, record)
    return outcome


def _upsert(run, record, source):
    values = article_values(record, status=run.status)
    section_id = run.catalogue.section_id(record.section)
    author_ids = run.catalogue.author_ids(record)
    hold_back_unpublishable(record, values)
    tag_ids = run.tags.ids_for(record)
    existing = stored(record)
    if existing is not None and existing.pk in run.seen:
        run.result.skip(
            source,
            record.position,
            f"{record.source_uri} appears earlier in this run (the first is kept)",
        )
        return "skipped"
    # A killed story that ran comes down; one that never ran stays a draft.
    if record.kill and existing and existing.status != Article.Status.DRAFT:
        values["status"] = Article.Status.WITHDRAWN
        values["withdrawn_reason"] = KILL_REASON
    image = run.pictures.for_record(record, existing)
    image_uri = image.source_uri if image else ""
    if existing is not None:
        date_filled(values, existing.published_at, existing.public_updated_at)
    elif values["status"] == Article.Status.PUBLISHED:
        date_filled(values, timezone.now())
    desired = Article(section_id=section_id, **values)
    new_checksum = checksum(article_state(desired, author_ids, tag_ids, image_uri))

    if existing is None:
        desired.slug = free_slug(slug_base(desired.headline))
        desired.source_checksum = new_checksum
        desired.hero_image = image
        load_batch(
            [Loaded(desired, author_ids, tag_ids, record.corrections)],
            bodies_clean=True,  # article_values: stable_body
        )
        run.result.created += 1
        run.result.touched.append(desired.pk)
        run.seen.add(desired.pk)
        return "created"
    run.seen.add(existing.pk)
    replaced = existing.source_uri != record.source_uri  # a newer version's identity
    if existing.source_checksum == new_checksum and not replaced:
        run.result.unchanged += 1
        return "unchanged"
    if edited_locally(existing):
        if record.kill and values["status"] == Article.Status.WITHDRAWN:
            # A kill takes the story down even where editors changed it;
            # their edits stay, for the record.
            if existing.status == Article.Status.WITHDRAWN:
                run.result.unchanged += 1
                return "unchanged"
            publishing.withdraw(
                existing, by=None, reason=KILL_REASON, note="Killed by the source"
            )
            run.result.updated += 1
            run.result.touched.append(existing.pk)
            return "updated"
        run.result.skip(source, record.position, EDITED_LOCALLY)
        return "skipped"
    for name, value in values.items():
        setattr(existing, name, value)
    existing.section_id = section_id
    existing.hero_image = image
    existing.source_checksum = new_checksum
    load_batch(
        [Loaded(existing, author_ids, tag_ids, record.corrections)],
        bodies_clean=True,
    )
    run.result.updated += 1
    run.result.touched.append(existing.pk)
    return "updated"
