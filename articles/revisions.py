"""Revisions as the write path records them (articles/publishing.py): a
snapshot of the article as saved, numbered by its version.

The history pages and diffs are the editorial app's (articles/editorial/revisions.py).
"""

from django.db import connection
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
    fields = {name: getattr(article, name) for name in SNAPSHOT_FIELDS}
    section = (article.section_id, str(article.section))
    hero = article.hero_image_id and (article.hero_image_id, str(article.hero_image))
    return snapshot_data(fields, section, hero, authors, tag_names)


# The article's own fields a snapshot keeps.
SNAPSHOT_FIELDS = [
    "kicker", "headline", "slug", "deck", "body", "credit", "dateline_place",
    "dateline_date", "dateline_source", "status", "published_at",
    "withdrawn_reason", "embargoed_until",
]  # fmt: skip


def snapshot_data(fields, section, hero, authors, tag_names):
    """The snapshot of an article given as plain values: `fields` by name
    (`SNAPSHOT_FIELDS`), its section and hero picture as (id, name), the
    picture None if it has none."""
    return {
        "kicker": fields["kicker"],
        "headline": fields["headline"],
        "slug": fields["slug"],
        "deck": fields["deck"],
        "body": fields["body"],
        "section": {"id": section[0], "name": section[1]},
        "authors": [author_data(*author) for author in authors],
        "credit": fields["credit"],
        "dateline_place": fields["dateline_place"],
        "dateline_date": fields["dateline_date"],
        "dateline_source": fields["dateline_source"],
        "tags": sorted(tag_names, key=str.casefold),
        "hero_image": {"id": hero[0], "name": hero[1]} if hero else None,
        "status": fields["status"],
        "published_at": (
            fields["published_at"].isoformat() if fields["published_at"] else None
        ),
        "withdrawn_reason": fields["withdrawn_reason"],
        "embargoed_until": (
            fields["embargoed_until"].isoformat() if fields["embargoed_until"] else None
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

    The articles are read back as plain values (an import's batch is a
    thousand; a model instance for each cost more than the rest), and the
    revisions go as plain rows. With `new`, the articles were all just
    created: no revision of theirs can exist, so the rows go as they are
    (COPY on PostgreSQL). Returns how many were written."""
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
    now = bulk_rows.prepared(Revision, "created_at", timezone.now())
    user = signed_in(by)
    user_id = user.pk if user is not None else None
    note = bulk_rows.prepared(Revision, "note", note[:300])
    data = Revision._meta.get_field("data")
    stored = Article.objects.filter(pk__in=article_ids).values_list(
        "pk", "version", "section_id", "section__name", "hero_image_id",
        "hero_image__alt", "hero_image__file", *SNAPSHOT_FIELDS,
    )  # fmt: skip
    rows = []
    for pk, version, section_id, section, hero_id, alt, file, *fields in stored:
        snapshot = snapshot_data(
            dict(zip(SNAPSHOT_FIELDS, fields, strict=True)),
            (section_id, str(section)),
            hero_id and (hero_id, alt or file),  # as str(Image)
            authors.get(pk, []),
            tags.get(pk, []),
        )
        snapshot = data.get_db_prep_save(snapshot, connection)
        rows.append((pk, version, now, user_id, snapshot, note))
    # One round trip; a revision of the same number (a re-import of a changed
    # record that keeps its version) is brought up to date.
    return bulk_rows.insert_values(
        Revision,
        ["article", "number", "created_at", "created_by", "data", "note"],
        rows,
        on_conflict="" if new else REVISION_CONFLICT,
    )


REVISION_CONFLICT = """ON CONFLICT (article_id, number) DO UPDATE SET
    created_at = EXCLUDED.created_at, created_by_id = EXCLUDED.created_by_id,
    data = EXCLUDED.data, note = EXCLUDED.note"""
