"""How much a shared tag counts towards a related link: its rarity (inverse
document frequency), from counts of the whole archive kept a few minutes.
See `related` for how the weights are used."""

import math
import time

from django.core.cache import cache
from django.db.models import Count

from .models import Article, ArticleTag
from .related_text import count_terms

CANDIDATES = 60  # best tag matches re-ranked with words, section and time
COMMON_TAG_SHARE = 0.05  # tags on more than this share of articles are skipped...
COMMON_TAG_MIN = 500  # ...once they are on at least this many
POSTINGS = 500  # tag uses summed per article, rarest tags first (weights_from)


def live_candidates():
    return Article.objects.filter(status=Article.Status.PUBLISHED)


KEPT_HERE_SECONDS = 60
# This process's copy of the shared counts: (when read, counts). Reading them
# from a database cache is a query and an unpickling per refreshed article.
kept_here = None


def corpus_counts():
    """(How many live articles there are, {tag_id: uses} of the tags used more
    than POSTINGS times, the headline words' counts of `count_terms`): the
    counts that cost most to make, kept ten minutes in the shared cache and a
    minute more at most in each process. IDF needs no exact counts."""
    global kept_here
    now = time.monotonic()
    if kept_here is None or now - kept_here[0] > KEPT_HERE_SECONDS:
        counts = cache.get_or_set("related:corpus-counts:2", count_corpus, 600)
        kept_here = (now, counts)
    return kept_here[1]


def forget_corpus_counts():
    """Drop this process's copy (tests clear the shared cache between them)."""
    global kept_here
    kept_here = None


def count_corpus():
    common = (
        ArticleTag.objects.values("tag_id")
        .annotate(uses=Count("*"))
        .filter(uses__gt=POSTINGS)
        .values_list("tag_id", "uses")
    )
    return live_candidates().count() or 1, dict(common), count_terms()


def article_total():
    return corpus_counts()[0]


def weights_from(rows, total=None):
    """{tag_id: (name, idf)} for one article's tags, from rows {"tag_id",
    "tag__name", "df"} (df: the tag's number of uses).

    Tags are taken rarest first, while their other uses add up to at most
    POSTINGS, or while they bring fewer than CANDIDATES other articles: a
    common tag adds little to a score (a low IDF) and much to its cost (every
    use is summed). Very common tags are never taken, unless an article has
    nothing else.
    """
    if not rows:
        return {}
    total = max(total or article_total(), max(r["df"] for r in rows))
    cap = max(COMMON_TAG_MIN, total * COMMON_TAG_SHARE)
    kept, uses = [], 0
    for r in sorted(rows, key=lambda r: (r["df"], r["tag_id"])):
        if kept and (
            r["df"] > cap or (uses >= CANDIDATES and uses + r["df"] > POSTINGS)
        ):
            break
        kept.append(r)
        uses += r["df"] - 1
    return {
        # (total + 1): in a small archive a tag on every article still counts
        # a little; in a large one it counts for almost nothing.
        r["tag_id"]: (
            r["tag__name"],
            max(math.log((total + 1) / max(r["df"], 1)), 0.01),
        )
        for r in sorted(kept, key=lambda r: r["tag_id"])
    }
