"""Signing up, confirming and unsubscribing (double opt-in, RFC 8058).

A sign-up never changes anything a reader would see until the address's
owner follows the link mailed to it: the link carries the newsletters asked
for, signed. Every sign-up gets the same answer whether or not the address
is known, so the form tells nobody who subscribes. Sign-ups are limited per
client and per address, in the database (every process counts the same).
"""

import hashlib
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Newsletter, SignUpAttempt, Subscriber

CONFIRM_SALT = "newsletters.confirm"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
CONFIRM_DAYS = 7
PER_CLIENT_PER_HOUR = 10
PER_ADDRESS_PER_HOUR = 3


class TooMany(Exception):
    """Too many sign-ups from this client or for this address; try later."""


def fingerprint(value):
    return hashlib.sha256(value.casefold().encode()).hexdigest()


def check_limits(request, email):
    """Count this sign-up; raise TooMany past the hourly limits."""
    client = fingerprint(get_client_ip_address(request) or "unknown")
    address = fingerprint(email)
    recent = SignUpAttempt.objects.filter(at__gte=timezone.now() - timedelta(hours=1))
    SignUpAttempt.objects.filter(at__lt=timezone.now() - timedelta(hours=1)).delete()
    if (
        recent.filter(client=client).count() >= PER_CLIENT_PER_HOUR
        or recent.filter(email=address).count() >= PER_ADDRESS_PER_HOUR
    ):
        raise TooMany
    SignUpAttempt.objects.create(client=client, email=address)


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def sign_up(request, email, newsletters):
    """Mail `email` a link that subscribes it to `newsletters` once followed."""
    check_limits(request, email)
    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email)
    if subscriber.suppressed_at is not None:
        return  # mail to it bounced: nothing is sent, the answer is the same
    token = signing.dumps(
        {"s": subscriber.pk, "n": sorted(n.pk for n in newsletters)}, salt=CONFIRM_SALT
    )
    link = absolute(reverse("newsletters:confirm", args=[token]))
    context = {
        "link": link,
        "newsletters": newsletters,
        "days": CONFIRM_DAYS,
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"Confirm your subscription to {settings.SITE_NAME}",
        message=render_to_string("newsletters/email/confirm.txt", context),
        from_email=None,
        recipient_list=[subscriber.email],
    )


def confirm(token):
    """The subscriber the link in `token` confirmed, or None (bad or expired)."""
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS)
        )
    except signing.BadSignature:
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(pk=data["s"]).first()
        if subscriber is None:
            return None
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
        subscriber.newsletters.add(*Newsletter.objects.filter(pk__in=data["n"]))
    return subscriber


def unsubscribe_token(subscriber, newsletter):
    return signing.dumps([subscriber.pk, newsletter.pk], salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscriber, newsletter):
    token = unsubscribe_token(subscriber, newsletter)
    return absolute(reverse("newsletters:unsubscribe", args=[token]))


def read_unsubscribe(token):
    """(subscriber, newsletter) named by `token`, or None."""
    try:
        subscriber_pk, newsletter_pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=subscriber_pk).first()
    newsletter = Newsletter.objects.filter(pk=newsletter_pk).first()
    if subscriber is None or newsletter is None:
        return None
    return subscriber, newsletter


def unsubscribe(subscriber, newsletter):
    subscriber.newsletters.remove(newsletter)
