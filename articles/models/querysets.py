"""How articles are asked for: the visibility rule and `ArticleQuerySet`.

`Article.objects.published()` is the only door to the public: every reader
surface (pages, feeds, sitemaps, search, related links, the API) goes through it.
The other methods name the states editors and pages ask for (scheduled,
embargoed) and what a story card loads.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone


def published_condition(prefix="", *, now=None):
    """The visibility rule: published, its time has come, and no embargo holds
    it back.

    A condition on articles, or with `prefix` (e.g. "target__") on the
    articles a relation leads to. `Article.objects.published()` is built on it;
    anything that reaches articles through a join uses it instead of
    restating the rule. `now` is the moment it is read at (a query compiled
    once is given a stand-in, articles/prepared.py).
    """
    from .article import Article  # here: that module imports this one

    now = now or timezone.now()
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": now,
        }
    ) & (
        Q(**{f"{prefix}embargoed_until__isnull": True})
        | Q(**{f"{prefix}embargoed_until__lte": now})
    )


def bylines_with_authors():
    """The `Prefetch` of articles' bylines and their authors, in byline order."""
    from .article import Byline  # here: that module imports this one

    return models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Articles readers may see (`published_condition`) now, or at `now`.

        Newest first, in the order of the (status, published_at DESC) indexes, so
        a listing reads only the rows it shows. (The model's default order puts
        undated drafts last, which PostgreSQL cannot take from those indexes.)
        """
        return self.filter(published_condition(now=now)).order_by(
            "-published_at", "-pk"
        )

    def tagged(self, tag):
        """The articles tagged `tag`, newest first (after `published()`).

        In the order of the tag rows' (tag, published_at) index, the article's
        time as the write path keeps it on them (`publishing.keep_link_times`):
        a page of a tag on thousands of stories is a few index reads, not a
        walk down every newest story checking it for the tag. The kept time
        orders, nothing more: `published()` decides what is shown.
        """
        return self.filter(tagged_items__tag=tag).order_by(
            "-tagged_items__published_at", "-tagged_items__content_object_id"
        )

    def by_author(self, author):
        """The articles `author` has a byline on, newest first (after
        `published()`), in the order of the byline rows' (author,
        published_at) index (as `tagged`)."""
        return self.filter(bylines__author=author).order_by(
            "-bylines__published_at", "-bylines__article_id"
        )

    def scheduled(self):
        """Published, and waiting for their time (or their embargo) to come;
        `goes_live_at` is when readers will see them."""
        now = timezone.now()
        return self.filter(
            Q(published_at__gt=now) | Q(embargoed_until__gt=now),
            status=self.model.Status.PUBLISHED,
        ).annotate(
            goes_live_at=Greatest(
                "published_at", Coalesce("embargoed_until", "published_at")
            )
        )

    def embargoed(self):
        """Held back from readers by an embargo, whatever their status."""
        return self.filter(embargoed_until__gt=timezone.now())

    def for_cards(self):
        """What a story card without a byline needs, in one query.

        Cards never show the body: leaving it out spares the database reading
        every story's text (stored out of line, and compressed, on PostgreSQL).
        """
        return self.select_related("section", "hero_image").defer("body")

    def for_listing(self):
        """What a story card with its byline needs, in a constant number of
        queries."""
        return self.for_cards().prefetch_related(bylines_with_authors())
