"""The words of live articles' headlines and decks (`models.RelatedWord`),
kept with the articles: what related links look stories up by when tags are
thin, and the words each candidate shares with an article
(`related_ranking`, PostgreSQL).

Written by the write path (`publishing.save`, and `publishing_batch.load_batch` for
a whole batch: one delete and one insert) and rebuilt for the whole archive
by `rebuild` (`manage.py refresh_related`: the backfill of an archive written
before the table existed). Only published articles have words: the others are
no candidates.
"""

from django.db import connection, transaction

from . import bulk_rows
from .models import Article, RelatedWord
from .related_text import words

FIELDS = ("word", "published_at", "article")
REBUILD_CHUNK = 5000


def rows_of(articles):
    """The rows of `articles`' words, as `bulk_rows.insert_values` takes them."""
    when = RelatedWord._meta.get_field("published_at")
    longest = RelatedWord._meta.get_field("word").max_length
    rows = []
    for article in articles:
        if article.status != Article.Status.PUBLISHED or not article.published_at:
            continue
        at = when.get_db_prep_save(article.published_at, connection)  # once
        rows += [
            (word, at, article.pk)
            for word in words(f"{article.headline} {article.deck}")
            if len(word) <= longest
        ]
    return rows


def write(articles, *, stale=()):
    """Write the words of the saved `articles`, deleting first those of the
    pks `stale` (the articles among them stored before)."""
    if stale:
        RelatedWord.objects.filter(article__in=stale).delete()
    bulk_rows.insert_values(RelatedWord, FIELDS, rows_of(articles))


def rebuild(chunk=REBUILD_CHUNK):
    """Write every published article's words anew, a chunk of articles per
    insert, in one transaction; returns how many rows were written."""
    table = connection.ops.quote_name(RelatedWord._meta.db_table)
    ids = list(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    written = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
        for i in range(0, len(ids), chunk):
            articles = Article.objects.filter(pk__in=ids[i : i + chunk]).only(
                "pk", "status", "published_at", "headline", "deck"
            )
            written += bulk_rows.insert_values(RelatedWord, FIELDS, rows_of(articles))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Rewritten whole: counted for the planner, and marked all-visible so
        # that the ranking reads the index alone (an index-only scan).
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return written
