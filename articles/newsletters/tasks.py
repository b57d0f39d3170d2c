"""The newsletters' background work, on the project's task queue."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task

from django.utils import timezone

from articles import tasks

from . import sending
from .editions import build_daily
from .models import Edition, Newsletter

DAILY = (Newsletter.Kind.DIGEST, Newsletter.Kind.SECTION)


@task()
def send_edition(edition_id):
    """Hand the edition's recipients to `send_batch` tasks, a batch each."""
    edition = Edition.objects.get(pk=edition_id)
    if edition.status == Edition.Status.SENT:
        return 0
    Edition.objects.filter(pk=edition_id).update(status=Edition.Status.SENDING)
    groups = sending.batches(edition)
    for group in groups:
        tasks.enqueue(send_batch, edition_id, group)
    if not groups:
        sending.close(edition)
    return len(groups)


@task()
def send_batch(edition_id, subscriber_ids):
    sent = sending.deliver(edition_id, subscriber_ids)
    sending.close(Edition.objects.get(pk=edition_id))
    return sent


def due_newsletters(now):
    local = timezone.localtime(now)
    return Newsletter.objects.filter(
        active=True, kind__in=DAILY, send_hour__lte=local.hour
    ).exclude(editions__issue_date=local.date(), editions__breaking=None)


def editions_due(now):
    """Has a daily newsletter's hour come without its edition of the day?"""
    return due_newsletters(now).exists()


@task()
def build_due_editions():
    """Make today's edition of each daily newsletter whose hour came, and send it."""
    made = 0
    now = timezone.now()
    for newsletter in due_newsletters(now):
        edition = build_daily(newsletter, timezone.localtime(now).date())
        if edition is not None and edition.status == Edition.Status.READY:
            tasks.enqueue(send_edition, edition.pk)
            made += 1
    return made
