"""Background work, on Django's tasks API (docs/tasks.md).

A write that leaves work for later (related links, the renditions of a
picture) records it as `PendingWork` in its own transaction and, once that
commits, enqueues a task for it. The record, not the queue, is the source of
truth: an enqueue after a commit can be lost (the process dies in between, the
queue is down, a worker is killed mid-task), the record cannot. The sweeper
(`manage.py run_scheduler`, `Scheduler` below) hands the queue again whatever
work nobody did. Tasks take ids and plain values, do work that may safely be
done twice (the second time changes nothing), and delete the records they
did: work is done at least once, never lost, and converges.

Tasks run in worker processes: `manage.py db_worker` with the database backend
(the default), RQ workers with TASKS_BACKEND=rq. The unit tests run each task
as it is enqueued (the immediate backend). Core's own tasks are here (related
links, search vectors, the schedule); another app's work is done by its own
task, which the app registers when it is ready (`register`): the media app's
renditions (articles/media/tasks.py). Core imports none of them.
"""

import logging
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

try:  # Django 6
    from django.tasks import task, task_backends
    from django.tasks.base import TASK_MAX_PRIORITY
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task, task_backends
    from django_tasks.base import TASK_MAX_PRIORITY

from . import bulk_rows, search
from .freshness import (
    articles_changed,
    pages_changed,
    retires_by_key,
)
from .models import Article, PendingWork, published_condition
from .related import CHUNK_FIELDS, BulkRefresh, refresh_chunk

# The queue refusing work (Redis down) is reported through this logger, which
# settings.LOGGING limits to a line when it starts, then one a minute.
outage = logging.getLogger("articles.tasks.queue")

Kind = PendingWork.Kind
RELATED_KINDS = (Kind.RELATED, Kind.AROUND)
RELATED_CHUNK = 500  # articles per task: a few queries for the whole chunk
# Work enqueued this long ago and still on record lost its task (or the queue
# is that far behind; doing it twice is harmless): the sweeper enqueues it again.
STALE_AFTER = timedelta(minutes=10)


# Work other apps do: kind -> (their task, records per task, `finish(work)`
# doing a chunk of `pending` rows here and now). Filled by `register`.
WORKERS = {}
# kind -> a function saying whether such work is wanted now (the delivery
# app's purges are, when an edge cache is configured). Work nobody wants is
# not recorded.
WANTED = {}


def register(kind, job, *, chunk, finish, wanted=None, urgent=False):
    """Let another app do the pending work of `kind` (called from its ready());
    with `wanted`, only while `wanted()` is true; `urgent` work (what readers
    wait for: edge purges) goes ahead of the rest (`ahead`)."""
    WORKERS[kind] = (job, chunk, finish)
    if wanted is not None:
        WANTED[kind] = wanted
    if urgent:
        URGENT.add(kind)


# Kinds of work that jump the queue: an import's thousands of related-link
# and search-vector tasks must not hold back the purge that shows an edit.
URGENT = set()
URGENT_QUEUE = "urgent"


def ahead(job):
    """`job`, placed ahead of the queue's other work: at the top priority on a
    backend that orders by priority (the database's), else on the `urgent`
    queue, which RQ workers take from first (`rqworker urgent default`,
    docs/tasks.md). On a backend with neither, `job` as it is."""
    backend = task_backends[job.backend]
    if backend.supports_priority:
        return job.using(priority=TASK_MAX_PRIORITY)
    if URGENT_QUEUE in backend.queues:
        return job.using(queue_name=URGENT_QUEUE)
    return job


def is_wanted(kind):
    """Does an app do work of `kind` (and want it now)?"""
    wanted = WANTED.get(kind)
    return kind in WORKERS and (wanted is None or bool(wanted()))


# Periodic jobs of the other apps (newsletters' daily editions, ...): the
# scheduler enqueues `job` on a round where `due(now)` says it is time.
PERIODIC = []


def register_periodic(job, *, due):
    PERIODIC.append((job, due))


# Recording work, and handing it to the queue


def record_related(article_ids, *, around=False, enqueue=True):
    """Record that the articles `article_ids` need their related links (with
    `around`, their closest neighbours need theirs again too), and enqueue
    that work once the transaction commits (unless `enqueue` is false: an
    import hands over its related links when it has written all its articles).

    Call it in the transaction that changes the articles.
    """
    kind = Kind.AROUND if around else Kind.RELATED
    article_ids = list(dict.fromkeys(article_ids))
    if not enqueue:
        record_rows(kind, article_ids)
        return
    work = [PendingWork(kind=kind, article_id=pk) for pk in article_ids]
    return record(work, enqueue=enqueue)


def record_rows(kind, article_ids):
    """Record work of `kind` for each of `article_ids` in one round trip,
    handed over later by what it is (`chunks`). An import records it for
    thousands of articles a batch: the rows go as plain values, each as a
    `PendingWork` with its defaults would store it, no instance built."""
    kind = bulk_rows.prepared(PendingWork, "kind", kind)
    now = bulk_rows.prepared(PendingWork, "created_at", timezone.now())
    nothing_shown = bulk_rows.prepared(PendingWork, "shown", {})
    bulk_rows.insert_values(
        PendingWork,
        ["kind", "article", "image", "shown", "due_at", "created_at", "queued_at"]
        + ["attempts"],
        [(kind, pk, None, nothing_shown, None, now, now, 1) for pk in article_ids],
    )


def record_renditions(image_ids):
    """Record that the pictures `image_ids` (just stored) need their renditions,
    and enqueue that work once the transaction commits."""
    work = [
        PendingWork(kind=Kind.RENDITIONS, image_id=pk)
        for pk in dict.fromkeys(image_ids)
    ]
    return record(work)


def record(work, *, enqueue=True):
    if not enqueue:
        # Handed over later by what it is (`chunks`): no pk needed now.
        bulk_rows.insert(work)
        return work
    work = PendingWork.objects.bulk_create(work)
    now = timezone.now()
    if enqueue and work:
        # Work due later (a scheduled go-live) is the sweeper's, at its time.
        pairs = [(w.pk, w.kind) for w in work if w.due_at is None or w.due_at <= now]

        # A named function: a robust on_commit callback is logged by its name.
        def hand_over_after_commit():
            hand_over(pairs)

        transaction.on_commit(hand_over_after_commit, robust=True)
    return work


def enqueue(job, *args):
    """Enqueue `job`; False, and a line in the log, if the queue refused it."""
    try:
        job.enqueue(*args)
    except Exception as exc:  # whatever the backend raises: the work is on record
        outage.error("Task queue unavailable", exc_info=exc)
        return False
    return True


def hand_over(work, *, again=False):
    """Enqueue tasks for `work`, (record pk, kind) pairs, a chunk per task.

    If the queue refuses, the rest is left to the sweeper (their `queued_at`
    cleared) and the refusal logged once, not per record. With `again` (the
    sweeper), the records handed over get a new `queued_at`. Returns how many
    records were handed over.
    """
    jobs = []
    others = [
        ((kind,), ahead(job) if kind in URGENT else job, size)
        for kind, (job, size, _) in WORKERS.items()
    ]
    # Other apps' work first: a purge is what readers wait for.
    for kinds, job, size in [
        *others,
        (RELATED_KINDS, refresh_related_links, RELATED_CHUNK),
    ]:
        pks = [pk for pk, kind in work if kind in kinds]
        jobs += [(job, pks[i : i + size]) for i in range(0, len(pks), size)]
    handed = 0
    for n, (job, pks) in enumerate(jobs):
        if not enqueue(job, pks):
            left = [pk for _, chunk in jobs[n:] for pk in chunk]
            # Due at the sweeper's next round (if the database is down too,
            # after STALE_AFTER).
            with suppress(DatabaseError):
                PendingWork.objects.filter(pk__in=left).update(queued_at=None)
            break
        if again:
            PendingWork.objects.filter(pk__in=pks).update(
                queued_at=timezone.now(), attempts=F("attempts") + 1
            )
        handed += len(pks)
    return handed


def pending(work_ids, kinds):
    """The records among `work_ids` still waiting: (pk, kind, article, image)."""
    return list(
        PendingWork.objects.filter(pk__in=work_ids, kind__in=kinds).values_list(
            "pk", "kind", "article_id", "image_id"
        )
    )


def chunks(kinds, size):
    """All pending work of `kinds` that is due, as lists of `pending` rows,
    oldest first; what is recorded meanwhile comes too."""
    last = 0
    due = Q(due_at=None) | Q(due_at__lte=timezone.now())
    while work := list(
        PendingWork.objects.filter(due, kind__in=kinds, pk__gt=last)
        .order_by("pk")
        .values_list("pk", "kind", "article_id", "image_id")[:size]
    ):
        yield work
        last = work[-1][0]


def done(work):
    """Delete the records of `work`, done now.

    By record, not by article or picture: one changed again meanwhile has a
    newer record, which stays until its own work is done.
    """
    PendingWork.objects.filter(pk__in=[row[0] for row in work]).delete()


# Related links


@task()
def refresh_related_links(work_ids):
    """Refresh the related links of the articles of the records `work_ids`, in
    one set-based pass; returns how many articles' links were refreshed."""
    return refresh_related_of(pending(work_ids, RELATED_KINDS))


def refresh_related_of(work, refresh=None):
    """Refresh the links of the articles of `work` (`pending` rows), then
    delete its records and retire the pages whose links changed."""
    if not work:
        return 0  # done already: this task was enqueued twice
    articles = Article.objects.filter(pk__in={row[2] for row in work})
    refreshed, changed = refresh_chunk(
        articles.only(*CHUNK_FIELDS),
        around={row[2] for row in work if row[1] == Kind.AROUND},
        refresh=refresh,
    )
    done(work)
    links_changed(changed)
    return refreshed


def links_changed(article_ids):
    """Retire the pages of the articles `article_ids`, which show new links
    (every process shares the cache), and purge them at the edge."""
    if not article_ids:
        return
    if not retires_by_key():
        pages_changed()
        return
    slugs = Article.objects.filter(
        published_condition(), pk__in=article_ids
    ).values_list("slug", flat=True)
    pages = {"articles": sorted(slugs)}
    articles_changed([(None, pages)], schedule=False)  # first: see purges.pages_changed
    if is_wanted(Kind.PURGE):
        record([PendingWork(kind=Kind.PURGE, shown=pages)])


def finish_related(*, chunk=RELATED_CHUNK, progress=None):
    """Refresh, here and now, the links of every article waiting for them, a
    chunk at a time; returns how many articles' links were refreshed."""
    refreshed = 0
    refresh = None
    for work in chunks(RELATED_KINDS, chunk):
        # Made once the articles are all written: it counts tag uses.
        refresh = refresh or BulkRefresh()
        refreshed += refresh_related_of(work, refresh)
        if progress:
            progress(len(work))
    return refreshed


# Search vectors (PostgreSQL)


@task()
def compute_search_vectors(article_ids=None):
    """Compute the missing search vectors of `article_ids` (an import's batch),
    or of every article; returns how many were computed."""
    if connection.vendor != "postgresql":
        return 0
    if article_ids is None:
        return search.compute_all_missing()
    with connection.cursor() as cursor:
        return search.compute_missing(cursor, article_ids)


# All of it


@dataclass
class Finished:
    related: int = 0
    renditions: int = 0
    vectors: int = 0


@task()
def drain_pending_work():
    """Do all pending work, a chunk at a time, oldest first: an import's, once
    it has written all its articles, and whatever a killed run left."""
    return asdict(finish_pending_work())


def finish_pending_work(*, chunk=RELATED_CHUNK):
    """Do all pending work here and now (a task, `manage.py refresh_related`)."""
    finished = Finished(related=finish_related(chunk=chunk))
    for kind, (_, size, finish) in WORKERS.items():
        for work in chunks((kind,), size):
            done_now = finish(work)
            if kind == Kind.RENDITIONS:
                finished.renditions += done_now
    finished.vectors = search.compute_all_missing()
    return finished


def drain_after_commit():
    """Once the transaction commits, enqueue the draining of all pending work."""

    def drain_pending_work_after_commit():
        if not enqueue(drain_pending_work):
            # Related links recorded without an enqueue of their own: due at
            # the sweeper's next round.
            with suppress(DatabaseError):
                PendingWork.objects.filter(kind__in=RELATED_KINDS).update(
                    queued_at=None
                )

    transaction.on_commit(drain_pending_work_after_commit, robust=True)
