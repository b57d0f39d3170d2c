"""Sending deliveries: at least once, retried with exponential backoff.

A delivery is claimed (pending → sending) before it is sent, so two rounds
running at once do not both send it; one left "sending" by a killed worker
goes back to pending after `STUCK_AFTER` and is sent again (receivers tell
repeats by the `Newsroom-Delivery` id). Anything but a 2xx answer is retried
after 30 s, 1 min, 2 min... up to `MAX_ATTEMPTS` tries; an address refused
(private, a redirect to another host) fails at once.
"""

import http.client
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import Delivery
from .outbound import Refused, headers_for, post

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
STUCK_AFTER = timedelta(minutes=10)
PER_ROUND = 200


def body_of(delivery):
    data = {
        "id": delivery.pk,
        "event": delivery.event,
        "created": delivery.created_at,
        "article": delivery.payload["article"],
    }
    return json.dumps(data, cls=DjangoJSONEncoder).encode()


def claim(delivery):
    return Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING
    ).update(status=Delivery.Status.SENDING, next_attempt_at=timezone.now())


def send(delivery):
    """One attempt at `delivery` (if nobody else claimed it); returns its status."""
    if not claim(delivery):
        return None
    delivery.attempts += 1
    body = body_of(delivery)
    try:
        code = post(delivery.endpoint.url, body, headers_for(delivery, body))
    except Refused as exc:
        return finish(delivery, Delivery.Status.FAILED, error=str(exc))
    except (OSError, http.client.HTTPException) as exc:
        return retry_later(delivery, error=f"{type(exc).__name__}: {exc}")
    delivery.response_status = code
    if 200 <= code < 300:
        return finish(delivery, Delivery.Status.DELIVERED)
    return retry_later(delivery, error=f"answered {code}")


def retry_later(delivery, error):
    if delivery.attempts >= MAX_ATTEMPTS:
        return finish(delivery, Delivery.Status.FAILED, error=error)
    wait = FIRST_RETRY * 2 ** (delivery.attempts - 1)
    delivery.next_attempt_at = timezone.now() + wait
    return finish(delivery, Delivery.Status.PENDING, error=error)


def finish(delivery, status, error=""):
    delivery.status = status
    delivery.error = error[:300]
    if status == Delivery.Status.DELIVERED:
        delivery.delivered_at = timezone.now()
    delivery.save(
        update_fields=[
            "status",
            "error",
            "attempts",
            "next_attempt_at",
            "response_status",
            "delivered_at",
        ]
    )
    return status


def due(now):
    return Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=now
    )


def release_stuck(now):
    """Deliveries a killed worker left "sending" go back to pending."""
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, next_attempt_at__lte=now - STUCK_AFTER
    ).update(status=Delivery.Status.PENDING)


def send_due(now=None):
    now = now or timezone.now()
    release_stuck(now)
    sent = 0
    for delivery in (
        due(now).select_related("endpoint").order_by("next_attempt_at")[:PER_ROUND]
    ):
        sent += send(delivery) == Delivery.Status.DELIVERED
    return sent


def redeliver(deliveries):
    """Send these again from the start (the admin's action)."""
    return deliveries.exclude(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        error="",
    )
