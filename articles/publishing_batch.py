"""The write path for an import's batch: many articles in a few statements.

The same rules as one article's write (articles/publishing.py): the content's
rule, the old addresses kept, the revisions, the follow-up work and the
retired pages; set-based, since an import's batch has thousands of rows. The
importer (articles/ingest/) writes its articles through `load_batch` only.
"""

import dataclasses
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import bulk_rows, purges, related_words
from .bylines import byline_rows
from .embargoes import follow_embargo
from .models import Article, ArticleTag, Byline, Correction
from .publishable import check
from .publishing import address_in, keep_old_address, stored_of
from .revisions import record_revisions

Status = Article.Status


@dataclass
class Loaded:
    """An article an import writes: new (no pk) or changed, with its links and
    its source's public notes ({"kind", "text", "at"}, `at` None if undated)."""

    article: Article
    author_ids: list  # ids, or BylineRows for a role or a suffix
    tag_ids: list
    corrections: list = dataclasses.field(default_factory=list)


def load_batch(
    entries, *, by=None, note="Imported", reserve_ids=None, bodies_clean=False
):
    """Write an import's articles (`Loaded` entries): new ones in bulk, changed
    ones one by one (their old addresses kept), then every revision in bulk.

    The same rule as every other write, but for the byline (`missing`): a
    published article without a headline or a body is refused
    (ValidationError) before anything is written; the importer turns such
    records into drafts first. `reserve_ids(articles)`, if given, gives
    the new articles their ids up front and returns True; their links are
    then written before them (see the loader). Pages are retired by the
    caller, once per batch (`freshness.bulk_writes`). With `bodies_clean`,
    the caller says every body is already sanitized (the importer's
    `stable_body`): the rule is checked without sanitizing it again. Returns
    the pks.
    """
    for entry in entries:
        check(entry.article, bylines=False, body_clean=bodies_clean)
    new = [e for e in entries if e.article.pk is None]
    changed = [e for e in entries if e.article.pk is not None]
    with transaction.atomic():
        was = purges.before([e.article.pk for e in changed])
        if new:
            insert_new(new, reserve_ids)
        for entry in changed:
            article = entry.article
            stored = stored_of(article.pk)
            old_address = address_in(stored)
            follow_embargo(article, stored.get("embargoed_until"))
            article.save()
            keep_old_address(old_address, article)
            Byline.objects.filter(article=article).delete()
            ArticleTag.objects.filter(content_object=article).delete()
            write_links([entry])
        related_words.write(
            [e.article for e in entries], stale=[e.article.pk for e in changed]
        )
        write_notes(entries)
        pks = [e.article.pk for e in entries]
        record_revisions(pks, by=by, note=note, new=not changed)
        purges.pages_changed([e.article for e in entries], was)
    return pks


def insert_new(entries, reserve_ids):
    articles = [e.article for e in entries]
    for article in articles:
        follow_embargo(article, None)
        if article.status == Status.PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
    links_first = reserve_ids is not None and reserve_ids(articles)
    if not links_first:
        Article.objects.bulk_create(articles)
    write_links(entries)
    if links_first:
        # Their ids are known: the rows go as they are (COPY on PostgreSQL).
        bulk_rows.insert(articles, with_pk=True)
        for article in articles:
            article._state.adding, article._state.db = False, connection.alias


def write_notes(entries):
    """Add the notes a source gives that its published article lacks (same kind
    and text); notes are never removed, so the editors' own stay."""
    text = Correction._meta.get_field("text").to_python
    notes = {
        (e.article.pk, note["kind"], text(note["text"])): note["at"]
        or e.article.public_updated_at
        or timezone.now()
        for e in entries
        if e.article.status == Status.PUBLISHED
        for note in e.corrections
    }
    if notes:
        pks = {pk for pk, _, _ in notes}
        have = Correction.objects.filter(article__in=pks)
        for key in have.values_list("article", "kind", "text"):
            notes.pop(key, None)
        Correction.objects.bulk_create(
            Correction(article_id=pk, kind=kind, text=body, created_at=at)
            for (pk, kind, body), at in notes.items()
        )


def write_links(entries):
    """The bylines and tags of `entries`, with their article's publication
    time (`publishing.keep_link_times`): one round trip each, as plain rows (an import's
    batch has thousands), each value as its field stores it."""
    role, suffix = Byline._meta.get_field("role"), Byline._meta.get_field("suffix")
    when = Byline._meta.get_field("published_at")
    timed = [
        (e, when.get_db_prep_save(e.article.published_at, connection)) for e in entries
    ]
    bulk_rows.insert_values(
        Byline,
        ["article", "author", "position", "role", "suffix", "published_at"],
        [
            (
                e.article.pk,
                author_id,
                position,
                role.get_db_prep_save(author_role, connection),
                suffix.get_db_prep_save(words, connection),
                at,
            )
            for e, at in timed
            for position, (author_id, author_role, words) in enumerate(
                byline_rows(e.author_ids)
            )
        ],
    )
    bulk_rows.insert_values(
        ArticleTag,
        ["content_object", "tag", "published_at"],
        [(e.article.pk, tag_id, at) for e, at in timed for tag_id in e.tag_ids],
    )
