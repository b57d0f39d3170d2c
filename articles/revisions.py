"""Revisions as the write path records them (articles/publishing.py): a
snapshot of the article as saved, numbered by its version.

The history pages and diffs are the editorial app's (articles/editorial/revisions.py).
"""

from django.utils import timezone

from .models import Article, ArticleTag, Byline, Revision


def signed_in(user):
    return user if user is not None and user.is_authenticated else None


def record_revision(article, *, by=None, note=""):
    """Keep the article's current state as the revision numbered by its version."""
    revision, _ = Revision.objects.update_or_create(
        article=article,
        number=article.version,
        defaults={
            "created_at": timezone.now(),
            "created_by": signed_in(by),
            "data": snapshot(article),
            "note": note[:300],
        },
    )
    return revision


def snapshot(article):
    """The article as plain data: fields, section, authors in order and the
    credit, tags."""
    bylines = Byline.objects.filter(article=article).select_related("author")
    authors = [(b.author_id, b.author.name) for b in bylines.order_by("position", "pk")]
    return snapshot_of(article, authors, article.tags.names())


def snapshot_of(article, authors, tag_names):
    return {
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "deck": article.deck,
        "body": article.body,
        "section": {"id": article.section_id, "name": str(article.section)},
        "authors": [{"id": pk, "name": name} for pk, name in authors],
        "credit": article.credit,
        "tags": sorted(tag_names, key=str.casefold),
        "hero_image": (
            {"id": article.hero_image_id, "name": str(article.hero_image)}
            if article.hero_image_id
            else None
        ),
        "status": article.status,
        "published_at": (
            article.published_at.isoformat() if article.published_at else None
        ),
        "withdrawn_reason": article.withdrawn_reason,
        "embargoed_until": (
            article.embargoed_until.isoformat() if article.embargoed_until else None
        ),
    }


def record_revisions(article_ids, *, by=None, note=""):
    """The revisions of many articles as they are stored, in a few queries."""
    articles = Article.objects.filter(pk__in=article_ids).select_related(
        "section", "hero_image"
    )
    authors, tags = {}, {}
    for article_id, author_id, name in (
        Byline.objects.filter(article_id__in=article_ids)
        .order_by("position", "pk")
        .values_list("article_id", "author_id", "author__name")
    ):
        authors.setdefault(article_id, []).append((author_id, name))
    for article_id, name in ArticleTag.objects.filter(
        content_object_id__in=article_ids
    ).values_list("content_object_id", "tag__name"):
        tags.setdefault(article_id, []).append(name)
    now, user = timezone.now(), signed_in(by)
    return Revision.objects.bulk_create(
        [
            Revision(
                article=article,
                number=article.version,
                created_at=now,
                created_by=user,
                data=snapshot_of(
                    article, authors.get(article.pk, []), tags.get(article.pk, [])
                ),
                note=note[:300],
            )
            for article in articles
        ],
        update_conflicts=True,
        unique_fields=["article", "number"],
        update_fields=["created_at", "created_by", "data", "note"],
    )
