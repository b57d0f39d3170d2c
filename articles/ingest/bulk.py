"""A batch's records in bulk: the unchanged ones recognised and the new ones
created, a few queries for the whole batch.

Whatever the bulk path cannot decide (a change, a duplicate, a picture not yet
imported, an error) it leaves to the one-by-one path (upsert.py), with the
record's warnings as they were, which decides again.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from articles.models import Article
from articles.publishing_batch import Loaded, load_batch

from .matching import article_state, checksum
from .records import ArticleRecord
from .results import LOAD_ERRORS, RecordFailed
from .slugs import assign_slugs
from .values import article_values, date_filled, hold_back_unpublishable


def well_formed(items):
    """The items a bulk path may take: records with a source and no problems."""
    return [
        item
        for item in items
        if isinstance(item, ArticleRecord) and item.source_uri and not item.problems
    ]


def unchanged_in_bulk(run, records, known):
    """{id(record): pk} of the `known` records whose source is unchanged.

    The state each record would write is hashed as upsert.py does and compared
    with the stored `source_checksum` (`known` is matching.known's).
    """
    candidates, seen = [], set()
    for record in records:
        if record.source_uri in known and record.source_uri not in seen:
            seen.add(record.source_uri)
            candidates.append(record)
    if not candidates:
        return {}
    saved = [list(record.warnings) for record in candidates]
    unchanged = {}
    try:
        with transaction.atomic():  # authors or tags it creates, if it fails
            wanted_tags = [run.tags.wanted(record) for record in candidates]
            run.catalogue.look_up_authors(candidates)
            run.tags.resolve(
                {k: n for wanted in wanted_tags for k, n in wanted.items()}
            )
            for record, wanted in zip(candidates, wanted_tags, strict=True):
                pk, stored, published_at, hero_uri = known[record.source_uri]
                if pk in run.seen:
                    continue
                state = _known_state(run, record, wanted, published_at, hero_uri)
                if state is not None and checksum(state) == stored:
                    unchanged[id(record)] = pk
    except (RecordFailed, IntegrityError, *LOAD_ERRORS):
        run.forget()
        unchanged = {}
    for record, warnings in zip(candidates, saved, strict=True):
        if id(record) not in unchanged:
            record.warnings[:] = warnings
    return unchanged


def _known_state(run, record, wanted_tags, published_at, hero_uri):
    """The state upsert.py would hash for a known record, or None if unsure."""
    warnings = list(record.warnings)
    try:
        values = article_values(record, status=run.status)
        section_id = run.catalogue.section_id(record.section)
        author_ids = run.catalogue.author_ids(record)
        hold_back_unpublishable(record, values)
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
    return article_state(article, author_ids, run.tags.ids(wanted_tags), image_uri)


def create_in_bulk(run, records, known):
    """Create the new articles among `records` in bulk: {id(record): pk}.

    New means: a record whose source is not in the database (`known`) and not
    earlier in the batch. Anything else, and every new record if the bulk
    write fails, is left to the one-by-one path.
    """
    known = set(known)
    new, values = [], []
    for record in records:
        if record.source_uri in known or record.replaces:
            continue  # a replacement may update a stored article: one by one
        known.add(record.source_uri)
        warnings = list(record.warnings)
        try:
            values.append(article_values(record, status=run.status))
        except RecordFailed:
            record.warnings[:] = warnings
            continue  # fails, with its reason, on the one-by-one path
        new.append((record, warnings))
    if not new:
        return {}
    try:
        with transaction.atomic():
            pks = _insert_new(run, [r for r, _ in new], values)
    except (RecordFailed, IntegrityError, *LOAD_ERRORS):
        run.forget()
        for record, warnings in new:
            record.warnings[:] = warnings
        return {}
    return {id(record): pk for (record, _), pk in zip(new, pks, strict=True)}


def _insert_new(run, records, values):
    wanted_tags = [run.tags.wanted(record) for record in records]
    run.tags.resolve({k: n for wanted in wanted_tags for k, n in wanted.items()})
    run.catalogue.look_up_authors(records)
    articles, links = [], []
    for record, values_, wanted in zip(records, values, wanted_tags, strict=True):
        section_id = run.catalogue.section_id(record.section)
        author_ids = run.catalogue.author_ids(record)
        hold_back_unpublishable(record, values_)
        tag_ids = run.tags.ids(wanted)
        image = run.pictures.for_record(record)
        if values_["status"] == Article.Status.PUBLISHED:
            date_filled(values_, timezone.now())
        article = Article(section_id=section_id, hero_image=image, **values_)
        state = article_state(article, author_ids, tag_ids, image and image.source_uri)
        article.source_checksum = checksum(state)
        articles.append(article)
        links.append((author_ids, tag_ids, record.corrections))
    assign_slugs(articles)
    return load_batch(
        [
            Loaded(article, *article_links)
            for article, article_links in zip(articles, links, strict=True)
        ],
        reserve_ids=reserve_ids,
        bodies_clean=True,  # article_values: stable_body
    )


def reserve_ids(articles):
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
