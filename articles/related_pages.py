"""The related links a reader's page shows: pins first, then the computed
ones (`related`), only live targets, read as story cards."""

from datetime import datetime

from django.utils import timezone

from .models import RelatedLink, published_condition
from .prepared import PreparedQuery
from .related import SHOWN

# What a story card (includes/article_card.html) shows of an article, and
# its version, which keys the card kept in memory (articles/card_cache.py).
CARD_FIELDS = (
    *("kicker", "headline", "deck", "slug", "published_at", "hero_image"),
    "version",
)


def related_for_page(article):
    """The links shown under an article: pins first, only live targets. One query,
    compiled once (articles/prepared.py).

    It reads the article's links by index and joins each target by primary
    key, testing liveness on the joined row, and loads only what a story card
    shows (the body, the largest column, stays in the database).
    """
    links = PAGE_LINKS(pk=article.pk, now=timezone.now())
    return [link.target for link in links]


PAGE_LINKS = PreparedQuery(
    RelatedLink,
    lambda pk, now: (
        RelatedLink.objects.filter(
            published_condition("target__", now=now),
            article=pk,
            kind__in=[RelatedLink.Kind.PINNED, RelatedLink.Kind.COMPUTED],
        )
        .select_related("target__hero_image", "target__section")
        .only(
            "target",
            *(f"target__{field}" for field in CARD_FIELDS),
            "target__section__name",
            "target__section__slug",
        )
        .order_by("-kind", "position")[:SHOWN]  # "pinned" before "computed"
    ),
    pk=int,
    now=datetime,
)
