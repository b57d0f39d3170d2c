"""Revisions as the write path records them (articles/publishing.py): a
snapshot of the article as saved, numbered by its version.

The history pages and diffs are the editorial app's (articles/editorial/revisions.py).
"""

from django.utils import timezone

from . import bulk_rows
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
    authors = [
        (b.author_id, b.author.name, b.role, b.suffix)
        for b in bylines.order_by("position", "pk")
    ]
    return snapshot_of(article, authors, article.tags.names())


def snapshot_of(article, authors, tag_names):
    return {
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "deck": article.deck,
        "body": article.body,
        "section": {"id": article.section_id, "name": str(article.section)},
        "authors": [author_data(*author) for author in authors],
        "credit": article.credit,
        "dateline_place": article.dateline_place,
        "dateline_date": article.dateline_date,
        "dateline_source": article.dateline_source,
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


def author_data(pk, name, role=Byline.Role.WRITER, suffix=""):
    """A byline's name in a revision; a writer without a suffix as it always
    was ({"id", "name"}), so older revisions compare alike."""
    data = {"id": pk, "name": name}
    if role != Byline.Role.WRITER:
        data["role"] = role
    if suffix:
        data["suffix"] = suffix
    return data


def record_revisions(article_ids, *, by=None, note="", new=False):
    """The revisions of many articles as they are stored, in a few queries.

    With `new`, the articles were all just created: no revision of theirs can
    exist, so the rows go as they are (COPY on PostgreSQL)."""
    articles = Article.objects.filter(pk__in=article_ids).select_related(
        "section", "hero_image"
    )
    authors, tags = {}, {}
    for article_id, *author in (
        Byline.objects.filter(article_id__in=article_ids)
        .order_by("position", "pk")
        .values_list("article_id", "author_id", "author__name", "role", "suffix")
    ):
        authors.setdefault(article_id, []).append(author)
    for article_id, name in ArticleTag.objects.filter(
        content_object_id__in=article_ids
    ).values_list("content_object_id", "tag__name"):
        tags.setdefault(article_id, []).append(name)
    now, user = timezone.now(), signed_in(by)
    revisions = [
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
    ]
    # One round trip; a revision of the same number (a re-import of a changed
    # record that keeps its version) is brought up to date.
    bulk_rows.insert(revisions, on_conflict="" if new else REVISION_CONFLICT)
    return revisions


REVISION_CONFLICT = """ON CONFLICT (article_id, number) DO UPDATE SET
    created_at = EXCLUDED.created_at, created_by_id = EXCLUDED.created_by_id,
    data = EXCLUDED.data, note = EXCLUDED.note"""
