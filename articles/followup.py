"""Follow-up work: recorded with the articles that owe it, finished later.

An import commits its articles a batch at a time, and what they need next
comes after: related links (articles/related.py), renditions of the pictures
it stored (the media app) and, on PostgreSQL, search vectors
(articles/search.py). A run killed in between must not leave that undone for
good, yet the next run finds those articles unchanged and would never look at
them again. So each batch records its articles' follow-up work (`PendingWork`)
in the transaction that writes them, and the work deletes its record once
done. Every import finishes all pending work, its own and whatever an earlier
run left, and so does `manage.py refresh_related`.

Renditions are made by the media app, which core does not import: media
registers the function that makes them (`register_renditions`) when it is
ready. Without it, the work is left recorded.

Search vectors need no record of their own: an article written without one
has a NULL vector (migration 0002_search), and that is the record.
"""

from dataclasses import dataclass

from .freshness import bulk_writes
from .models import Article, Image, PendingWork
from .related import BulkRefresh
from .search import compute_all_missing

CHUNK = 500
Kind = PendingWork.Kind

# make(images) -> how many got renditions; set by the media app when it is ready.
_renditions_maker = None


def register_renditions(make):
    """Let `make(images)` make the missing renditions of pictures imports stored."""
    global _renditions_maker
    _renditions_maker = make


def record(article_ids, *, pictures=()):
    """Record that the articles `article_ids` need their related links, and
    those whose hero image is one of `pictures` (just stored) its renditions.

    Call it in the transaction that writes the articles.
    """
    article_ids = list(dict.fromkeys(article_ids))
    work = [PendingWork(article_id=pk, kind=Kind.RELATED) for pk in article_ids]
    if pictures and article_ids:
        work += [
            PendingWork(article_id=pk, kind=Kind.RENDITIONS)
            for pk in Article.objects.filter(
                pk__in=article_ids, hero_image__in=pictures
            ).values_list("pk", flat=True)
        ]
    PendingWork.objects.bulk_create(work)


def due(kind):
    """How many records of work of `kind` wait to be done."""
    return PendingWork.objects.filter(kind=kind).count()


def chunks(kind, size):
    """The pending work of `kind` as lists of (record pk, article pk), oldest
    first; what is recorded meanwhile comes too."""
    last = 0
    while work := list(
        PendingWork.objects.filter(kind=kind, pk__gt=last)
        .order_by("pk")
        .values_list("pk", "article_id")[:size]
    ):
        yield work
        last = work[-1][0]


def done(work):
    """Delete the records of `work` (a chunk), done now.

    By record, not by article: an article written again meanwhile has a newer
    record, which stays until its own work is done.
    """
    PendingWork.objects.filter(pk__in=[pk for pk, _ in work]).delete()


def refresh_related(*, progress=None, chunk=CHUNK):
    """Refresh the related links of every article waiting for them; returns
    how many articles that was."""
    refresh = None
    refreshed = set()
    for work in chunks(Kind.RELATED, chunk):
        # Made once the articles are all written: it counts tag uses.
        refresh = refresh or BulkRefresh()
        ids = {pk for _, pk in work}
        articles = Article.objects.filter(pk__in=ids).only(
            "pk", "section_id", "published_at", "status"
        )
        with bulk_writes():
            refresh.refresh(list(articles))
        done(work)
        refreshed |= ids
        if progress:
            progress(len(work))
    return len(refreshed)


def make_renditions():
    """Make the renditions still missing of the pictures imports stored;
    returns how many pictures got theirs."""
    if _renditions_maker is None:
        return 0  # nothing here makes renditions: the work stays recorded
    made = 0
    for work in chunks(Kind.RENDITIONS, CHUNK):
        pictures = Image.objects.filter(
            pk__in=Article.objects.filter(pk__in=[pk for _, pk in work]).values(
                "hero_image"
            )
        ).exclude(file="")
        # Usually made as the batch committed: only what is still missing.
        made += _renditions_maker(pictures)
        done(work)
    return made


@dataclass
class Finished:
    related: int
    renditions: int
    vectors: int


def finish(*, chunk=CHUNK):
    """Do all the pending work of imports."""
    return Finished(
        related=refresh_related(chunk=chunk),
        renditions=make_renditions(),
        vectors=compute_all_missing(),
    )
