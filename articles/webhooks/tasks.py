"""The webhooks' background work: one task per scheduler round."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task

from django.utils import timezone

from . import deliveries, events
from .models import Endpoint


def wanted(now):
    return Endpoint.objects.filter(active=True).exists()


@task()
def webhook_round():
    """Record the events since the last round, then send what is due."""
    now = timezone.now()
    found = events.find(now)
    return {"events": found, "delivered": deliveries.send_due(now)}
