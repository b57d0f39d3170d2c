"""The sweeper and the clock (`manage.py run_scheduler`): each round hands the
queue again the work nobody did (articles/tasks.py), retires the pages when a
scheduled story went live, enqueues the missing search vectors and the other
apps' periodic jobs, and leaves the heartbeats the readiness probe reads.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task

from . import search
from .freshness import pages_changed, remember_next_publication, retires_by_key
from .models import Article, PendingWork
from .tasks import PERIODIC, STALE_AFTER, compute_search_vectors, enqueue, hand_over

# Heartbeats, read by the readiness probe (newsroom/health.py): the time of the
# scheduler's last round, and of the last heartbeat task a worker ran. In the
# cache every process shares; kept until overwritten.
SCHEDULER_HEARTBEAT_KEY = "heartbeat:scheduler"
WORKER_HEARTBEAT_KEY = "heartbeat:worker"


@task()
def scheduled_stories_went_live():
    """Retire every cached page at a scheduled publication time: they show the
    site without the stories now live. (An edge cache is purged by the purge
    recorded with the story, due at its time: articles/purges.py; where pages
    are kept by what they show, that purge retires them and no page outlived
    the time anyway.)"""
    if retires_by_key():
        remember_next_publication()
    else:
        pages_changed(articles=True)


@task()
def worker_heartbeat():
    """Record that a worker took a task from the queue just now: the scheduler
    enqueues one each round, so an old heartbeat means no worker is running."""
    cache.set(WORKER_HEARTBEAT_KEY, time.time(), None)


def sweep(*, stale_after=STALE_AFTER):
    """Hand the queue again the work nobody did: records whose enqueue failed,
    and records enqueued `stale_after` ago or more and still there (the task
    was lost, or its worker killed). Returns how many records."""
    now = timezone.now()
    cutoff = now - stale_after
    due = PendingWork.objects.filter(
        Q(queued_at=None) | Q(queued_at__lte=cutoff),
        Q(due_at=None) | Q(due_at__lte=now),
    )
    return hand_over(list(due.order_by("pk").values_list("pk", "kind")), again=True)


class Scheduler:
    """One deployment's sweeper and clock (`manage.py run_scheduler`)."""

    def __init__(self, *, stale_after=STALE_AFTER):
        self.stale_after = stale_after
        # Stories that went live while no scheduler ran get their pages
        # retired too (caches never outlive a scheduled time anyway).
        self.live_since = timezone.now() - stale_after
        self.vectors_at = None

    def run_once(self):
        """One round; returns what it handed to the queue."""
        now = timezone.now()
        cache.set(SCHEDULER_HEARTBEAT_KEY, time.time(), None)
        enqueue(worker_heartbeat)
        enqueued = {"work": sweep(stale_after=self.stale_after)}
        # Live since the last round, after their last save: no write retired
        # the pages when they went live.
        went_live = (
            Article.objects.published()
            .filter(published_at__gt=self.live_since)
            .filter(published_at__gte=F("updated_at"))
        )
        if not went_live.exists():
            self.live_since = now
        elif enqueue(scheduled_stories_went_live):
            self.live_since = now
            enqueued["went_live"] = 1
        vectors_due = (
            self.vectors_at is None or now - self.vectors_at >= self.stale_after
        )
        if vectors_due and search.any_missing() and enqueue(compute_search_vectors):
            self.vectors_at = now
            enqueued["vectors"] = 1
        for job, due in PERIODIC:
            if due(now) and enqueue(job):
                enqueued[job.name] = 1
        return enqueued

    def seconds_to_wait(self, interval):
        """`interval`, or less if a scheduled story goes live sooner."""
        when = (
            Article.objects.scheduled()
            .order_by("goes_live_at")
            .values_list("goes_live_at", flat=True)
            .first()
        )
        if when is None:
            return interval
        # A moment after it, so the round finds the story live.
        return min(interval, (when - timezone.now()).total_seconds() + 0.5)


def overdue(last_round, now=None):
    """(cutoff, waiting, missed): what makes a story live since before
    `cutoff` (NEWSROOM_OVERDUE_AFTER ago) overdue. `waiting`: its follow-up
    work, recorded before then, is not done; `missed`: it went live by
    schedule (no save since) after the scheduler's `last_round`, so no round
    retired the pages that do not show it. The readiness probe and the desk
    both apply it."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NEWSROOM_OVERDUE_AFTER)
    waiting = Exists(
        PendingWork.objects.filter(article=OuterRef("pk"), created_at__lte=cutoff)
    )
    missed = Q(published_at__gt=last_round, published_at__gte=F("updated_at"))
    return cutoff, waiting, missed
