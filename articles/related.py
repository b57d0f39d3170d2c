"""Related-article links: scored on write, stored, read with one query.

Editors' pins come first, in their order. The rest are computed from:

- shared tags weighted by rarity (inverse document frequency), so one shared
  rare tag ("Wrencroft fraud trial") outweighs several common ones ("courts");
- the same section (a bonus);
- the distinctive words of headline and deck they share (`related_text`), and,
  when the tags are thin, stories found by those words alone;
- closeness in time (a story's articles are days, not years, apart).

A link must score at least MIN_SCORE: a story with nothing related shows
fewer links, or none, rather than filler from its section. Candidates are
articles with status *published*, scheduled ones included: the page reads
links through the same liveness test as `Article.objects.published()`, so a
scheduled story shows up in its neighbours' lists the moment it goes live.

One article or a whole archive is scored the same way, a chunk of articles
at a time: the postings of each article's tags are summed from the `(tag,
article)` index alone, the best CANDIDATES by tag score are kept, and only
those are looked up in the article table (published ones, with their section
and date) to be ranked with their shared words, section and time. Tags are
scored rarest first, within a budget of uses (`related_weights`). On
PostgreSQL the whole ranking is one statement per chunk that returns each
article's best links (`related_ranking`); on SQLite, without lateral joins,
the candidates are read by one query (`CANDIDATES_SQL`) and ranked in Python
(`related_scoring.rank`), both with the constants of `related_scoring`.
"""

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from . import bulk_rows
from .freshness import articles_changed
from .models import (
    Article,
    ArticleTag,
    RelatedLink,
    RelatedWord,
)
from .related_ranking import quoted, ranked_rows, ranking_settings
from .related_scoring import (
    MIN_SCORE,
    SAME_SECTION_BONUS,
    SHOWN,
    TEXT_SHARE,
    THIN,
    TIME_SCALE_DAYS,
    Candidate,
    is_thin,
    rank,
    tag_candidates,
)
from .related_text import terms_of, text_candidates
from .related_weights import CANDIDATES, corpus_counts, weights_from
from .text import clean_line

STORED = 8  # computed links kept, so a few can drop out (unpublished) and 5 remain

CANDIDATES_SQL = """
WITH weights (article_id, tag_id, idf, bit) AS (VALUES {values}),
scored AS (
    SELECT
        weights.article_id,
        link.content_object_id AS candidate,
        SUM(weights.idf) AS score,
        SUM(weights.bit) AS mask,
        ROW_NUMBER() OVER (
            PARTITION BY weights.article_id
            ORDER BY SUM(weights.idf) DESC, link.content_object_id DESC
        ) AS place
    FROM weights
    JOIN {link_table} link ON link.tag_id = weights.tag_id
    WHERE link.content_object_id <> weights.article_id
    GROUP BY weights.article_id, link.content_object_id
)
SELECT scored.article_id, candidate, article.section_id,
    julianday(article.published_at) - 2440587.5,
    score, mask, article.headline, article.deck
FROM scored
JOIN {article_table} article ON article.id = scored.candidate
WHERE scored.place <= %s AND article.status = %s
ORDER BY scored.article_id, scored.place
"""


# What the ranking statement reads (related_ranking.RANK_SQL).
RANKED_TABLES = (Article, ArticleTag, RelatedWord, RelatedLink)


class BulkRefresh:
    """Refresh the computed links of many articles, a chunk at a time: for a
    large import, and for one article after it is saved (`refresh_related`).

    Per chunk: one query for the chunk's tags, one for document frequencies
    not yet known (common tags' come from `corpus_counts`; all are kept for
    the run: nothing retags articles meanwhile); then, in one transaction,
    one delete (with, on PostgreSQL, the transaction's settings), the
    ranking, and one insert. On PostgreSQL the ranking is one statement
    (`related_ranking`); on SQLite one query for the candidates
    (`CANDIDATES_SQL`), one for editors' pins and one per article whose tags
    are thin (`related_text.text_candidates`), ranked by
    `related_scoring.rank`.

    Writes send no model signals: callers retire cached pages (`refresh_related`
    does; an import runs inside `bulk_writes()`), those of `changed` only:
    after each `refresh`, the ids of the articles whose links are not the
    ones they had (read from the delete, where the database returns the rows
    it deletes; else all of them).
    """

    def __init__(self):
        self.total, common, self.term_counts = corpus_counts()
        self.df = dict(common)
        self.changed = set()

    def refresh(self, articles):
        """Store the computed links of `articles`; returns {pk: the ranked
        candidates stored}."""
        articles = [a for a in articles if a.pk is not None]
        self.changed = set()
        if not articles:
            return {}
        if len(articles) > 1:
            # A chunk (an import's follow-up, not an editor's save): the
            # ranking is one large statement, and planned on the statistics
            # of tables the import has just filled, it reads every row.
            bulk_rows.analyze_grown(RANKED_TABLES)
        ids = [a.pk for a in articles]
        weights = self.weights(ids)
        terms = {a.pk: terms_of(a, self.term_counts) for a in articles}
        delete = (
            f"DELETE FROM {quoted(RelatedLink)} WHERE kind = %s"
            f" AND article_id IN ({', '.join(['%s'] * len(ids))})"
        )
        returning = connection.features.can_return_columns_from_insert
        if returning:
            delete += " RETURNING article_id, position, target_id"
        if connection.vendor == "postgresql":
            # Sent with the delete: one round trip (parameters are bound on
            # the client, so the statements go as one string).
            delete = ranking_settings(len(articles)) + delete
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(delete, [RelatedLink.Kind.COMPUTED, *ids])
                # The settings sent before it return no rows.
                while returning and cursor.description is None and cursor.nextset():
                    pass
                had = cursor.fetchall() if returning else None
            if connection.vendor == "postgresql":
                stored = ranked_in_database(articles, weights, terms)
            else:
                stored = self.ranked_here(articles, weights, terms)
            links = []
            for article in articles:
                links += computed_links(
                    article,
                    weights.get(article.pk, {}),
                    terms[article.pk],
                    stored[article.pk],
                )
            bulk_rows.insert_values(RelatedLink, LINK_FIELDS, links)
        self.changed = changed_links(ids, had, links)
        return stored

    def ranked_here(self, articles, weights, terms):
        """{pk: the best STORED candidates}, ranked by the client (`rank`,
        related_scoring.py):
        the database without lateral joins (SQLite)."""
        ids = [a.pk for a in articles]
        rows = self.candidates(weights)
        editor_choices = {}
        # The editors' kinds named, not "not computed": then the database
        # reads the (article, kind) index rather than every link.
        for article_id, target_id in RelatedLink.objects.filter(
            article_id__in=ids,
            kind__in=[RelatedLink.Kind.PINNED, RelatedLink.Kind.EXCLUDED],
        ).values_list("article_id", "target_id"):
            editor_choices.setdefault(article_id, set()).add(target_id)
        found = {
            article.pk: tag_candidates(rows.get(article.pk, []), terms[article.pk])
            for article in articles
        }
        # Articles whose tags are thin look for stories by their words.
        now = timezone.now()
        by_words = text_candidates(
            [
                (article, terms[article.pk], article.published_at or now)
                for article in articles
                if is_thin(found[article.pk])
            ]
        )
        stored = {}
        for article in articles:
            chosen = editor_choices.get(article.pk, set())
            ranked = rank(
                article,
                found[article.pk],
                terms[article.pk],
                by_words.get(article.pk, []),
            )
            stored[article.pk] = [c for c in ranked if c.article_id not in chosen][
                :STORED
            ]
        return stored

    def weights(self, ids):
        """{article_id: tag_weights} for the articles `ids`."""
        tags = {}
        for article_id, tag_id, name in (
            ArticleTag.objects.filter(content_object_id__in=ids)
            .order_by("content_object_id", "tag_id")
            .values_list("content_object_id", "tag_id", "tag__name")
        ):
            tags.setdefault(article_id, []).append((tag_id, name))
        unknown = {t for pairs in tags.values() for t, _ in pairs} - self.df.keys()
        if unknown:
            # Count(*) is counted from the (tag, article) index alone.
            self.df.update(
                ArticleTag.objects.filter(tag_id__in=unknown)
                .values_list("tag_id")
                .annotate(df=Count("*"))
                .values_list("tag_id", "df")
            )
        return {
            article_id: weights_from(
                [
                    {"tag_id": t, "tag__name": name, "df": self.df[t]}
                    for t, name in pairs
                ],
                self.total,
            )
            for article_id, pairs in tags.items()
        }

    def candidates(self, weights):
        """{article_id: [(pk, section_id, day, score, mask, headline,
        deck), ...]}: the published articles among the best CANDIDATES sharing
        a kept tag, best tag score first (ties: newest pk first)."""
        values, params = [], []
        for article_id, article_weights in weights.items():
            for i, (tag_id, (_, idf)) in enumerate(article_weights.items()):
                values.append("(%s, %s, %s, %s)")
                params += [article_id, tag_id, idf, 1 << i]
        if not values:
            return {}
        sql = CANDIDATES_SQL.format(
            values=", ".join(values),
            link_table=quoted(ArticleTag),
            article_table=quoted(Article),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, CANDIDATES, Article.Status.PUBLISHED])
            found = cursor.fetchall()
        rows = {}
        for article_id, *row in found:
            rows.setdefault(article_id, []).append(row)
        return rows


def ranked_in_database(articles, weights, terms):
    """{pk: the best STORED candidates}, ranked by PostgreSQL in one statement
    for all `articles` (`related_ranking`), as `related_scoring.rank` ranks
    them."""
    stored = {article.pk: [] for article in articles}
    for pk, target, score, mask, text_mask, same_section, days_apart in ranked_rows(
        articles, weights, terms, RANKING
    ):
        stored[pk].append(
            Candidate(
                target,
                None,
                int(mask),
                text_mask=int(text_mask),
                days_apart=days_apart,
                same_section=same_section,
                score=score,
            )
        )
    return stored


# The scoring's constants, as `related_ranking.RANK_SQL` takes them.
RANKING = {
    "candidates": CANDIDATES,
    "thin": THIN,
    "text_share": TEXT_SHARE,
    "section_bonus": SAME_SECTION_BONUS,
    "time_scale": TIME_SCALE_DAYS,
    "min_score": MIN_SCORE,
    "stored": STORED,
}


# A computed link's row, as `computed_links` gives it: plain values, no model
# instance (building eight per article cost more than the database's part).
LINK_FIELDS = ("article", "target", "kind", "position", "score", "reason")


def computed_links(article, weights, terms, ranked):
    return [
        (
            article.pk,
            c.article_id,
            RelatedLink.Kind.COMPUTED.value,
            i,
            round(c.score, 4),
            clean_line(c.reason(weights, terms)),  # the reason field's policy
        )
        for i, c in enumerate(ranked[:STORED])
    ]


def changed_links(ids, had, links):
    """The ids among `ids` whose links (`links`, rows of LINK_FIELDS) are not
    the (article, position, target) rows they `had`; all of them if what they
    had is not known (None)."""
    if had is None:
        return set(ids)
    before, after = {}, {}
    for article, _, target in sorted(had):  # by article, then position
        before.setdefault(article, []).append(target)
    for article, target, *_ in links:  # in each article's order
        after.setdefault(article, []).append(target)
    return {pk for pk in ids if before.get(pk) != after.get(pk)}


def refresh_related(article):
    """Recompute and store the computed links of one article (pins untouched),
    and retire its pages if its links changed: no other page shows them."""
    if article.pk is None:
        return []
    refresh = BulkRefresh()
    stored = refresh.refresh([article])[article.pk]
    if refresh.changed:
        articles_changed([(None, {"articles": [article.slug]})], schedule=False)
    return stored


# What scoring reads of the articles it refreshes.
CHUNK_FIELDS = ("pk", "section_id", "published_at", "status", "headline", "deck")


def refresh_chunk(articles, *, around=(), refresh=None, neighbours=SHOWN):
    """Store the computed links of `articles`, set-based (the follow-up task of
    a write); then, for those whose pk is in `around` and that are published,
    the links of their closest neighbours too. Returns how many articles had
    their links refreshed, and the ids of those whose links changed: the
    caller retires their cached pages."""
    refresh = refresh or BulkRefresh()
    articles = list(articles)
    stored = refresh.refresh(articles)
    changed = refresh.changed
    chosen = {a.pk for a in articles}
    nearby = {
        c.article_id
        for article in articles
        if article.pk in around and article.status == Article.Status.PUBLISHED
        for c in stored.get(article.pk, [])[:neighbours]
    } - chosen
    if nearby:
        refresh.refresh(Article.objects.filter(pk__in=nearby).only(*CHUNK_FIELDS))
        changed |= refresh.changed
    return len(stored) + len(nearby), changed
