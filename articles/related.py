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
from django.db import transaction
from django.db.models import Case, Count, FloatField, Sum, Value, When

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
    )
    if not rows:
        return {}
    total = max(article_total(), max(r["df"] for r in rows))
    cap = max(COMMON_TAG_MIN, total * COMMON_TAG_SHARE)
    kept = [r for r in rows if r["df"] <= cap] or [min(rows, key=lambda r: r["df"])]
    return {
        r["tag_id"]: (r["tag__name"], max(math.log(total / max(r["df"], 1)), 0.01))
        for r in kept
    }


def score_candidates(article):
    """The best-scoring other articles, with their scores and reasons."""
    weights = tag_weights(article)
    candidates = {}
    if weights:
        weight_expr = Case(
            *(When(tag_id=tag_id, then=Value(w)) for tag_id, (_, w) in weights.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
        rows = (
            ArticleTag.objects.filter(
                tag_id__in=weights, content_object__status=Article.Status.PUBLISHED
            )
            .exclude(content_object_id=article.pk)
            .values("content_object_id")
            .annotate(score=Sum(weight_expr))
            .order_by("-score", "-content_object_id")[:CANDIDATES]
        )
        for row in rows:
            candidates[row["content_object_id"]] = Candidate(
                row["content_object_id"], row["score"], []
            )
        if candidates:
            for item in ArticleTag.objects.filter(
                content_object_id__in=candidates, tag_id__in=weights
            ).values_list("content_object_id", "tag_id"):
                candidates[item[0]].shared.append(weights[item[1]][0])
    if len(candidates) < STORED and article.section_id:
        for pk in nearest_in_section(article, exclude=candidates):
            candidates[pk] = Candidate(pk, 0.0, [])

    when = article.published_at
    details = (
        live_candidates()
        .filter(pk__in=candidates)
        .values_list("pk", "section_id", "published_at")
    )
    for pk, section_id, published_at in details:
        c = candidates[pk]
        c.section_id = section_id
        if when and published_at:
            c.days_apart = abs((when - published_at).total_seconds()) / 86400
        closeness = (
            0.4 + 0.6 * math.exp(-c.days_apart / TIME_SCALE_DAYS)
            if c.days_apart is not None
            else 0.4
        )
        section = SAME_SECTION_BONUS if section_id == article.section_id else 1.0
        # Articles with no shared tag still rank, below any that share one.
        c.score = (c.tag_score or 0.01) * section * closeness
    ranked = [c for c in candidates.values() if c.section_id is not None]
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
        RelatedLink.objects.bulk_create(
            RelatedLink(
                article=article,
                target_id=c.article_id,
                kind=RelatedLink.Kind.COMPUTED,
                position=i,
                score=round(c.score, 4),
                reason=c.reason(article.section_id),
            )
            for i, c in enumerate(ranked[:STORED])
        )
    return ranked[:STORED]


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
    """The links shown under an article: pins first, only live targets. One query."""
    links = (
        RelatedLink.objects.filter(
            article=article,
            kind__in=[RelatedLink.Kind.PINNED, RelatedLink.Kind.COMPUTED],
            target__in=Article.objects.published(),
        )
        .select_related("target__hero_image", "target__section")
        .order_by(
            Case(When(kind=RelatedLink.Kind.PINNED, then=Value(0)), default=Value(1)),
            "position",
        )
    )
    return [link.target for link in links[:SHOWN]]
