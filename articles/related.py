"""Related-article links: scored on write, stored, read with one query.

Editors' pins come first, in their order. The rest are computed from:

- shared tags weighted by rarity (inverse document frequency), so one shared
  rare tag ("Wrencroft fraud trial") outweighs several common ones ("courts");
- the same section (a bonus);
- closeness in time (a story's articles are days, not years, apart).

Articles with no shared tag fill any remaining places from the same section,
nearest in time. Candidates are articles with status *published*, scheduled
ones included: the page reads links through `Article.objects.published()`,
so a scheduled story shows up in its neighbours' lists the moment it goes live.
"""

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from .models import Article, ArticleTag, RelatedLink

SHOWN = 5  # links on the page
STORED = 8  # computed links kept, so a few can drop out (unpublished) and 5 remain
CANDIDATES = 60  # best tag matches re-ranked with section and time
COMMON_TAG_SHARE = 0.05  # tags on more than this share of articles are skipped...
COMMON_TAG_MIN = 500  # ...once they are on at least this many
SAME_SECTION_BONUS = 1.3
TIME_SCALE_DAYS = 30.0


@dataclass
class Candidate:
    article_id: int
    tag_score: float
    shared: list
    section_id: int = None
    published_at: object = None
    days_apart: float = None
    score: float = 0.0

    def reason(self, section_id):
        parts = []
        if self.shared:
            parts.append("shared tags: " + ", ".join(self.shared[:4]))
        if self.section_id == section_id:
            parts.append("same section")
        if self.days_apart is not None:
            parts.append(f"{self.days_apart:.0f} days apart")
        return "; ".join(parts)[:300]


def live_candidates():
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def article_total():
    """Roughly how many articles there are: IDF needs no exact count."""
    return cache.get_or_set(
        "related:article-total", lambda: live_candidates().count() or 1, 600
    )


def tag_weights(article):
    """{tag_id: (name, idf)} for the article's tags, very common tags left out.

    Document frequency counts every use of a tag (drafts too): an index-only
    count on (tag, article), and close enough for weighting.
    """
    rows = list(
        ArticleTag.objects.filter(tag__article_items__content_object=article)
        .values("tag_id", "tag__name")
        .annotate(df=Count("id"))
        .order_by("tag_id")  # equal weights: shared tags named in a fixed order
    )
    return weights_from(rows)


def weights_from(rows):
    """`tag_weights` from rows {"tag_id", "tag__name", "df"} of one article."""
    if not rows:
        return {}
    total = max(article_total(), max(r["df"] for r in rows))
    cap = max(COMMON_TAG_MIN, total * COMMON_TAG_SHARE)
    kept = [r for r in rows if r["df"] <= cap] or [min(rows, key=lambda r: r["df"])]
    return {
        r["tag_id"]: (r["tag__name"], max(math.log(total / max(r["df"], 1)), 0.01))
        for r in kept
    }


def tag_case(weights, values):
    """SQL `CASE tag_id WHEN <id> THEN <value> ... ELSE 0 END` for `weights`' tags.

    Raw SQL (numbers only, as parameters): built from `Case(When(...))` the two
    expressions below cost more Python time than the database spends on the
    whole query.
    """
    column = f'"{ArticleTag._meta.db_table}"."tag_id"'
    params = []
    for tag_id, value in zip(weights, values, strict=True):
        params += [int(tag_id), value]
    whens = " ".join(["WHEN %s THEN %s"] * len(weights))
    return f"CASE {column} {whens} ELSE 0 END", params


def score_candidates(article):
    """The best-scoring other articles, with their scores and reasons.

    One query ranks the articles sharing a kept tag and brings what re-ranking
    needs: the sum of shared tags' IDF, which tags they are (as a bit mask),
    section and date.
    """
    weights = tag_weights(article)
    rows = []
    if weights:
        tag_ids = list(weights)
        score_sql, score_params = tag_case(tag_ids, [weights[t][1] for t in tag_ids])
        mask_sql, mask_params = tag_case(tag_ids, [1 << i for i in range(len(tag_ids))])
        rows = (
            ArticleTag.objects.filter(
                tag_id__in=tag_ids, content_object__status=Article.Status.PUBLISHED
            )
            .exclude(content_object_id=article.pk)
            .values_list(
                "content_object_id",
                "content_object__section_id",
                "content_object__published_at",
            )
            .annotate(
                score=Sum(RawSQL(score_sql, score_params, output_field=FloatField())),
                mask=Sum(RawSQL(mask_sql, mask_params, output_field=BigIntegerField())),
            )
            .order_by("-score", "-content_object_id")[:CANDIDATES]
        )
    return rank(article, weights, rows)


def rank(article, weights, rows):
    """Re-rank candidate rows (pk, section_id, published_at, tag score, tag
    mask) with section and time, after filling up from the section."""
    candidates = {}
    if weights:
        tag_ids = list(weights)
        by_weight = sorted(range(len(tag_ids)), key=lambda i: -weights[tag_ids[i]][1])
        for pk, section_id, published_at, score, mask in rows:
            mask = int(mask)
            shared = [weights[tag_ids[i]][0] for i in by_weight if mask >> i & 1]
            candidates[pk] = Candidate(pk, float(score), shared, section_id)
            candidates[pk].published_at = published_at
    if len(candidates) < STORED and article.section_id:
        fallback = nearest_in_section(article, exclude=candidates)
        for pk, section_id, published_at in (
            live_candidates()
            .filter(pk__in=fallback)
            .values_list("pk", "section_id", "published_at")
        ):
            candidates[pk] = Candidate(pk, 0.0, [], section_id)
            candidates[pk].published_at = published_at

    when = article.published_at
    for c in candidates.values():
        if when and c.published_at:
            c.days_apart = abs((when - c.published_at).total_seconds()) / 86400
        closeness = (
            0.4 + 0.6 * math.exp(-c.days_apart / TIME_SCALE_DAYS)
            if c.days_apart is not None
            else 0.4
        )
        section = SAME_SECTION_BONUS if c.section_id == article.section_id else 1.0
        # Articles with no shared tag still rank, below any that share one.
        c.score = (c.tag_score or 0.01) * section * closeness
    ranked = list(candidates.values())
    ranked.sort(key=lambda c: (-c.score, -c.article_id))
    return ranked


def nearest_in_section(article, exclude, limit=STORED):
    qs = (
        live_candidates()
        .filter(section_id=article.section_id)
        .exclude(pk__in=[article.pk, *exclude])
    )
    if article.published_at is None:
        return list(qs.order_by("-published_at").values_list("pk", flat=True)[:limit])
    before = qs.filter(published_at__lte=article.published_at).order_by("-published_at")
    after = qs.filter(published_at__gt=article.published_at).order_by("published_at")
    return list(before.values_list("pk", flat=True)[:limit]) + list(
        after.values_list("pk", flat=True)[:limit]
    )


def refresh_related(article):
    """Recompute and store the computed links of one article (pins untouched)."""
    if article.pk is None:
        return []
    editor_choices = set(
        RelatedLink.objects.filter(article=article)
        .exclude(kind=RelatedLink.Kind.COMPUTED)
        .values_list("target_id", flat=True)
    )
    ranked = [
        c for c in score_candidates(article) if c.article_id not in editor_choices
    ]
    with transaction.atomic():
        RelatedLink.objects.filter(
            article=article, kind=RelatedLink.Kind.COMPUTED
        ).delete()
        RelatedLink.objects.bulk_create(computed_links(article, ranked))
    return ranked[:STORED]


def computed_links(article, ranked):
    return [
        RelatedLink(
            article=article,
            target_id=c.article_id,
            kind=RelatedLink.Kind.COMPUTED,
            position=i,
            score=round(c.score, 4),
            reason=c.reason(article.section_id),
        )
        for i, c in enumerate(ranked[:STORED])
    ]


BULK_CANDIDATES_SQL = """
WITH weights (article_id, tag_id, idf, bit) AS (VALUES {values})
SELECT article_id, candidate, score, mask FROM (
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
    JOIN {article_table} article ON article.id = link.content_object_id
    WHERE article.status = %s AND link.content_object_id <> weights.article_id
    GROUP BY weights.article_id, link.content_object_id
) ranked
WHERE place <= %s
"""


class BulkRefresh:
    """Refresh the computed links of many articles, a chunk at a time, with the
    same result as `refresh_related` on each: for a large import.

    Per chunk: one query for the chunk's tags, one for document frequencies
    not yet known (kept for the run: nothing retags articles meanwhile), one
    that ranks every article's candidates, one for editors' pins, then one
    delete and one insert. Articles short of candidates still fill up from
    their section one by one.
    """

    def __init__(self):
        self.df = {}

    def refresh(self, articles):
        articles = [a for a in articles if a.pk is not None]
        if not articles:
            return
        ids = [a.pk for a in articles]
        tags = {}
        for article_id, tag_id, name in (
            ArticleTag.objects.filter(content_object_id__in=ids)
            .order_by("content_object_id", "tag_id")
            .values_list("content_object_id", "tag_id", "tag__name")
        ):
            tags.setdefault(article_id, []).append((tag_id, name))
        unknown = {t for pairs in tags.values() for t, _ in pairs} - self.df.keys()
        if unknown:
            self.df.update(
                ArticleTag.objects.filter(tag_id__in=unknown)
                .values_list("tag_id")
                .annotate(df=Count("id"))
                .values_list("tag_id", "df")
            )
        weights = {
            article_id: weights_from(
                [
                    {"tag_id": t, "tag__name": name, "df": self.df[t]}
                    for t, name in pairs
                ]
            )
            for article_id, pairs in tags.items()
        }
        rows = self.candidates(weights)
        editor_choices = {}
        for article_id, target_id in (
            RelatedLink.objects.filter(article_id__in=ids)
            .exclude(kind=RelatedLink.Kind.COMPUTED)
            .values_list("article_id", "target_id")
        ):
            editor_choices.setdefault(article_id, set()).add(target_id)
        links = []
        for article in articles:
            chosen = editor_choices.get(article.pk, set())
            ranked = rank(
                article, weights.get(article.pk, {}), rows.get(article.pk, [])
            )
            ranked = [c for c in ranked if c.article_id not in chosen]
            links += computed_links(article, ranked)
        with transaction.atomic():
            RelatedLink.objects.filter(
                article_id__in=ids, kind=RelatedLink.Kind.COMPUTED
            ).delete()
            RelatedLink.objects.bulk_create(links)

    def candidates(self, weights):
        """{article_id: [(pk, section_id, published_at, score, mask), ...]}: the
        best CANDIDATES sharing a kept tag, ranked as in `score_candidates`."""
        values, params = [], []
        for article_id, article_weights in weights.items():
            for i, (tag_id, (_, idf)) in enumerate(article_weights.items()):
                values.append("(%s, %s, %s, %s)")
                params += [article_id, tag_id, idf, 1 << i]
        if not values:
            return {}
        sql = BULK_CANDIDATES_SQL.format(
            values=", ".join(values),
            link_table=connection.ops.quote_name(ArticleTag._meta.db_table),
            article_table=connection.ops.quote_name(Article._meta.db_table),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, Article.Status.PUBLISHED, CANDIDATES])
            found = cursor.fetchall()
        about = {
            pk: (section_id, published_at)
            for pk, section_id, published_at in Article.objects.filter(
                pk__in={candidate for _, candidate, _, _ in found}
            ).values_list("pk", "section_id", "published_at")
        }
        rows = {}
        for article_id, candidate, score, mask in found:
            rows.setdefault(article_id, []).append(
                (candidate, *about[candidate], score, mask)
            )
        return rows


def refresh_related_around(article, neighbours=SHOWN):
    """Refresh an article's links, then those of its closest neighbours,
    so a new story also appears under the stories it relates to."""
    ranked = refresh_related(article)
    if article.status == Article.Status.PUBLISHED:
        for neighbour in Article.objects.filter(
            pk__in=[c.article_id for c in ranked[:neighbours]]
        ):
            refresh_related(neighbour)


def related_for_page(article):
    """The links shown under an article: pins first, only live targets. One query.

    Liveness is checked per link (a correlated EXISTS on the target's primary
    key). With `target__in=published()` SQLite listed every live article on
    each page view, a cost that grew with the archive; PostgreSQL plans both
    forms as the same primary-key join.
    """
    links = (
        RelatedLink.objects.filter(
            article=article,
            kind__in=[RelatedLink.Kind.PINNED, RelatedLink.Kind.COMPUTED],
        )
        .filter(Exists(Article.objects.published().filter(pk=OuterRef("target_id"))))
        .select_related("target__hero_image", "target__section")
        .order_by(
            Case(When(kind=RelatedLink.Kind.PINNED, then=Value(0)), default=Value(1)),
            "position",
        )
    )
    return [link.target for link in links[:SHOWN]]
