"""Sending an edition: at most once to each subscriber.

Each (edition, subscriber) is claimed in the database (a `Delivery` row,
committed) before the message is handed to SMTP, and marked sent after. A
worker killed in between leaves a claim that is never sent again and is
counted as "claimed, not confirmed sent" in the admin; nobody gets the same
edition twice. A hard bounce (a 5xx refusal of the recipient) suppresses
the address.
"""

import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from .editions import render
from .models import Delivery, Edition, Subscriber
from .subscriptions import unsubscribe_url

BATCH = 100  # subscribers per task


def recipients(edition):
    """Pks of the subscribers `edition` goes to, not yet claimed."""
    return list(
        Subscriber.objects.filter(
            newsletters=edition.newsletter_id,
            confirmed_at__isnull=False,
            suppressed_at=None,
        )
        .exclude(deliveries__edition=edition)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def batches(edition):
    ids = recipients(edition)
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def claim(edition, subscriber):
    """The new claim, or None if this subscriber's was made already."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(edition=edition, subscriber=subscriber)
    except IntegrityError:
        return None


def message(edition, subscriber, connection):
    unsubscribe = unsubscribe_url(subscriber, edition.newsletter)
    html, text = render(edition, unsubscribe)
    email = EmailMultiAlternatives(
        subject=edition.subject,
        body=text,
        to=[subscriber.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def hard_bounce(error, address):
    code = error.recipients.get(address, (0, b""))[0]
    return 500 <= code < 600


def deliver(edition_id, subscriber_ids):
    """Send `edition_id` to those of `subscriber_ids` not yet claimed."""
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    subscribers = Subscriber.objects.filter(
        pk__in=subscriber_ids, confirmed_at__isnull=False, suppressed_at=None
    ).order_by("pk")
    sent = 0
    with get_connection() as connection:
        for subscriber in subscribers:
            delivery = claim(edition, subscriber)
            if delivery is None:
                continue
            try:
                message(edition, subscriber, connection).send()
            except smtplib.SMTPRecipientsRefused as error:
                status = Delivery.Status.FAILED
                if hard_bounce(error, subscriber.email):
                    status = Delivery.Status.BOUNCED
                    subscriber.suppressed_at = timezone.now()
                    subscriber.save(update_fields=["suppressed_at"])
                finish(delivery, status, str(error))
            except (smtplib.SMTPException, OSError) as error:
                finish(delivery, Delivery.Status.FAILED, str(error))
            else:
                finish(delivery, Delivery.Status.SENT)
                sent += 1
    return sent


def finish(delivery, status, error=""):
    delivery.status = status
    delivery.error = error[:300]
    if status == Delivery.Status.SENT:
        delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "error", "sent_at"])


def close(edition):
    """Mark `edition` sent once nobody is left to claim."""
    if not recipients(edition):
        Edition.objects.filter(pk=edition.pk).update(
            status=Edition.Status.SENT, sent_at=timezone.now()
        )
