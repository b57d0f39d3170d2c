"""The one write path: every article is created, changed, published, withdrawn
or restored here.

The admin, revision restore, tag merges, the importer and the demo call these
functions; nothing else saves an article. Each one validates the content,
saves in one transaction, keeps the article's old address alive, records the
revision, records the follow-up work (related links, and the purge of the
pages an edge cache keeps, done by tasks once the write commits) and retires
the cached pages. An import's batch is written by the same rules, set-based,
in articles/publishing_batch.py.

Who may do what is the caller's business (the editorial app's roles): the
functions take `by=`, the user the revision is credited to, and trust it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import uri_to_iri

from . import live, picture_rights, purges, related_words
from .bylines import BylineRow, byline_rows
from .embargoes import embargo_note, follow_embargo
from .freshness import pages_changed
from .models import (
    Article,
    ArticleRedirect,
    ArticleTag,
    Author,
    Byline,
    Correction,
    Image,
    Section,
)
from .publishable import check, problems
from .revisions import record_revision, signed_in
from .tasks import record_related

Status = Article.Status

# A story's live updates (entries, key points, the end of its coverage) are
# written by articles/live.py, the same way; callers find them here too.
add_live_entry = live.add_live_entry
edit_live_entry = live.edit_live_entry
pin_live_entry = live.pin_live_entry
end_live_coverage = live.end_live_coverage

# What "restore" brings back: the words and the story's placement, not its
# publication state (restoring never publishes or unpublishes).
# The credit is part of the byline, restored with the authors (revisions from
# before it was recorded leave it as it is).
RESTORED_FIELDS = [
    "kicker",
    "headline",
    "deck",
    "body",
    "credit",
    "withdrawn_reason",
    "dateline_place",
    "dateline_date",
    "dateline_source",
]


# Writing one article


def create(*, by, authors=(), tags=(), note="Created", **fields):
    """A new article from `fields`, its `authors` in byline order and `tags`."""
    article = Article(**fields)
    if by is not None and by.is_authenticated:
        article.created_by = by
    save(article, by=by, note=note, authors=list(authors), tags=list(tags))
    return article


def update(article, *, by, authors=None, tags=None, note="", **fields):
    """Change `fields` (and, if given, the byline and the tags) of `article`."""
    for name, value in fields.items():
        setattr(article, name, value)
    save(article, by=by, note=note, authors=authors, tags=tags)
    return article


def publish(article, *, by, at=None, note="Published", follow_up=True):
    """Publish `article` now, or at `at` (a future time schedules it)."""
    article.status = Status.PUBLISHED
    article.published_at = at or timezone.now()
    if article.public_updated_at is None:
        # From now on only an editor's choice (or a correction) shows readers
        # an "Updated" time; minor edits do not.
        article.public_updated_at = article.published_at
    save(article, by=by, note=note, follow_up=follow_up)
    return article


def publish_all(articles, *, by, note="Published"):
    """Publish each of `articles` now that the rule allows; their related links
    are one task. Returns (published, refused: [(article, problems)])."""
    published, refused = [], []
    with transaction.atomic():
        for article in articles:
            if found := problems(article):
                refused.append((article, found))
                continue
            if picture_rights.refusal(picture_rights.pictures_of(article)):
                refused.append((article, ["picture rights expired"]))
                continue
            publish(article, by=by, note=note, follow_up=False)
            published.append(article)
        record_related([a.pk for a in published], around=True)
    return published, refused


def schedule(article, *, by, at, note="Scheduled"):
    """Publish `article` at the future time `at`."""
    return publish(article, by=by, at=at, note=note)


def embargo(article, *, by, until, note=""):
    """Hold `article` back from readers until the future time `until`; with
    `until=None`, lift the embargo (a published story goes live now).

    A published story goes live when its embargo ends (`follow_embargo`); the
    revision says who set, moved or lifted it (`embargo_note`).
    """
    if until is not None and until <= timezone.now():
        raise ValidationError("An embargo ends at a time in the future.")
    article.embargoed_until = until
    save(article, by=by, note=note)
    return article


def submit_for_review(article, *, by, note="Sent for review"):
    article.status = Status.REVIEW
    save(article, by=by, note=note)
    return article


def unpublish(article, *, by, note="Unpublished"):
    """Take `article` off the site, back to a draft."""
    article.status = Status.DRAFT
    save(article, by=by, note=note)
    return article


def withdraw(article, *, by, reason, note="Withdrawn"):
    """Take `article` off the site; its address tells readers `reason`."""
    if not reason.strip():
        raise ValidationError("Tell readers why the article was withdrawn.")
    article.status = Status.WITHDRAWN
    article.withdrawn_reason = reason
    save(article, by=by, note=note)
    return article


def correct(article, *, by, text, kind=Correction.Kind.CORRECTION):
    """Add a public correction; it moves the "Updated" time readers see."""
    with transaction.atomic():
        correction = Correction.objects.create(
            article=article, kind=kind, text=text, created_by=signed_in(by)
        )
        corrections_added(article)
    return correction


def corrections_added(article):
    """The article's "Updated" time moves (a correction is news to readers)."""
    article.public_updated_at = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        public_updated_at=article.public_updated_at
    )
    purges.pages_changed([article], pages={"corrections": True})


@transaction.atomic
def restore(revision, *, by):
    """Bring back `revision`'s text, placement, authors and tags as a new revision.

    Nothing is deleted: the current state stays in the history. The
    publication state (status, time) is left as it is.
    """
    data = revision.data
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    for field in RESTORED_FIELDS:
        if field in data:
            setattr(article, field, data[field] or "")
    section = data.get("section") or {}
    if Section.objects.filter(pk=section.get("id")).exists():
        article.section_id = section["id"]
    image = data.get("hero_image")
    if image is None or Image.objects.filter(pk=image["id"]).exists():
        article.hero_image_id = image["id"] if image else None
    authors = data.get("authors", [])
    existing = set(
        Author.objects.filter(pk__in=[a["id"] for a in authors]).values_list(
            "pk", flat=True
        )
    )
    return save(
        article,
        by=by,
        note=f"Restored from revision {revision.number}",
        authors=[
            BylineRow(a["id"], a.get("role", ""), a.get("suffix", ""))
            for a in authors
            if a["id"] in existing
        ],
        tags=data.get("tags", []),
    )


def save(article, *, by, note="", authors=None, tags=None, links=None, follow_up=True):
    """Validate and save `article`, with its byline (`authors`, authors or
    their ids, in order) and `tags` if given, and whatever `links` (a
    function) writes beside it (the admin's inline rows); then record the
    revision and the follow-up work. Returns the revision.

    The rule is checked once everything is written, so a byline written by
    `links` counts; a refusal rolls the whole write back. Without `follow_up`
    the caller records the related links (`publish_all`: one task for many).
    """
    with transaction.atomic():
        picture_rights.check(article)  # before the write: the stored status
        stored = stored_of(article.pk)
        old_address = address_in(stored)
        held_until = stored.get("embargoed_until")
        follow_embargo(article, held_until)
        note = "; ".join(filter(None, [note, embargo_note(held_until, article)]))
        was = purges.before([article.pk])
        article.save()
        related_words.write([article], stale=[article.pk] if stored else [])
        keep_old_address(old_address, article)
        if authors is not None:
            set_bylines(article, authors)
        if tags is not None:
            article.tags.set(tags)
        if links is not None:
            links()
        moved = stored.get("published_at") != article.published_at
        if moved or authors is not None or tags is not None or links is not None:
            keep_link_times(article)
        check(article)
        revision = record_revision(article, by=by, note=note)
        # Done by a task once the save commits; the page shows them a moment
        # later (pages are retired again when they are stored).
        if follow_up:
            record_related([article.pk], around=True)
        purges.pages_changed([article], was)
    return revision


def set_bylines(article, authors):
    """The byline of `article`: `authors` (Author objects or ids, or
    BylineRows for a role or a suffix), in order."""
    rows = byline_rows(authors)
    current = list(
        Byline.objects.filter(article=article)
        .order_by("position", "pk")
        .values_list("author_id", "role", "suffix")
    )
    if current == rows:
        return
    Byline.objects.filter(article=article).delete()
    Byline.objects.bulk_create(
        Byline(
            article=article,
            author_id=pk,
            role=role,
            suffix=suffix,
            position=i,
            published_at=article.published_at,
        )
        for i, (pk, role, suffix) in enumerate(rows)
    )


def keep_link_times(article):
    """Its publication time on the article's byline and tag rows, which the
    author and tag pages read their order from (`ArticleQuerySet.tagged`).
    Only the rows that differ are written."""
    when = article.published_at
    for rows in (
        Byline.objects.filter(article=article),
        ArticleTag.objects.filter(content_object=article),
    ):
        rows.exclude(published_at=when).update(published_at=when)


def articles_changed(article_ids, *, pages=None, related=True):
    """Articles changed by a write that is not one article's (a tag merge, an
    author's new name): their related links are recomputed by a task (unless
    not `related`), and the pages retired and purged (with `pages`, those of
    the merged tags or the renamed author: {"tags": [slug]}, {"authors": ...})."""
    article_ids = list(article_ids)
    if related:
        record_related(article_ids)
    purges.record_purge_of(article_ids, pages=pages)
    pages_changed(articles=True)


# Old addresses


def stored_of(pk):
    """What a write must know of the article as stored: {} if new."""
    if pk is None:
        return {}
    fields = ("slug", "published_at", "embargoed_until")
    return Article.objects.filter(pk=pk).values(*fields).first() or {}


def address_in(stored):
    if not stored.get("published_at"):
        return None
    article = Article(slug=stored["slug"], published_at=stored["published_at"])
    return uri_to_iri(article.get_absolute_url())


def keep_old_address(old_path, article):
    """An address readers may have seen keeps answering (301 to the new one)."""
    if old_path and old_path != uri_to_iri(article.get_absolute_url()):
        ArticleRedirect.objects.update_or_create(
            old_path=old_path, defaults={"article": article}
        )
