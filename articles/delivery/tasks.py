"""The delivery app's background work: purging edge caches.

Core's write path records a purge (`PendingWork` of kind PURGE, with what the
pages showed before the write: articles/purges.py) in the write's transaction;
this task, which the app registers with core when it is ready (apps.py), does
it once the write commits, or, for a scheduled story, when it goes live.

The origin's shared page cache goes first: a write retires its pages as it
commits, and the task retires them again (a go-live has no write) and renders
the pages readers ask for first (render_ahead.py) before the edge is purged,
so the edge fetches current pages from a warm origin.
"""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task

from django.conf import settings

from articles import tasks
from articles.freshness import remember_next_publication
from articles.models import PendingWork

from . import purgers, render_ahead
from .surrogate_keys import keys_to_purge

Kind = PendingWork.Kind
CHUNK = 500  # purge records per task: one set of purge requests for them all


def wanted():
    """Purges are recorded only while an edge cache or the page cache is on."""
    return bool(settings.NEWSROOM_EDGE_PURGE) or (
        settings.NEWSROOM_PAGE_CACHE_SECONDS >= 1
    )


@task()
def purge_pages(work_ids):
    """Purge from every configured edge cache the pages the records
    `work_ids` name; returns how many keys were purged."""
    return purge_of(tasks.pending(work_ids, (Kind.PURGE,)))


def purge_of(work, *, render=True):
    """Purge the keys of `work` (`pending` rows), then delete its records.
    With `render`, the pages readers ask for first are rendered again first."""
    if not work:
        return 0  # done already: this task was enqueued twice
    records = list(
        PendingWork.objects.filter(pk__in=[row[0] for row in work]).values_list(
            "article_id", "shown", "due_at"
        )
    )
    if any(due_at is not None for _, _, due_at in records):
        remember_next_publication()  # a go-live
    pairs = [(article, shown) for article, shown, _ in records]
    soft, hard = keys_to_purge(pairs)
    render_ahead.retire(pairs, [*soft, *hard])  # the origin's pages first
    if render:
        render_ahead.render(render_ahead.paths_to_render(pairs))
    for backend in purgers.configured():
        if hard:
            backend.purge(hard, soft=False)
        if soft:
            backend.purge(soft, soft=True)
    tasks.done(work)
    return len(soft) + len(hard)


def purge_now(work):
    """`purge_of` without rendering, for all pending work done here and now
    (after an import, `refresh_related`): a cap per chunk would not bound
    the whole, and the run retires every page anyway."""
    return purge_of(work, render=False)
