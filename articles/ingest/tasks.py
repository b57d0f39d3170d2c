"""The ingest app's background work: polling wire sources on their schedule."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task

from django.utils import timezone

from articles import tasks

from . import wires
from .models import WireSource


def sources_due(now):
    return wires.due_sources(now).exists()


@task()
def poll_due_sources():
    """Hand each wire source whose time has come to its own `poll_source` task."""
    claimed = wires.claim_due(timezone.now())
    for pk in claimed:
        tasks.enqueue(poll_source, pk)
    return len(claimed)


@task()
def poll_source(source_id):
    source = WireSource.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return None
    return wires.poll(source).outcome
