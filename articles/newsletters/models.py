"""Newsletters, their subscribers, editions and each edition's deliveries.

A subscriber's address is never shown on a public page. A delivery row is the
claim that an edition goes to one subscriber: written before the message is
handed to SMTP, so a worker killed mid-send never sends anyone the same
edition twice (docs/newsletters.md).
"""

from django.db import models
from django.db.models.functions import Lower

from articles.models import Article, Section


class Newsletter(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        SECTION = "section", "A section's stories"
        BREAKING = "breaking", "Breaking news"

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.DIGEST)
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="For a section newsletter: the section whose stories it carries.",
    )
    description = models.CharField(max_length=300, blank=True)
    send_hour = models.PositiveSmallIntegerField(
        default=7,
        help_text="Hour of the day (newsroom time) a daily edition goes out.",
    )
    max_stories = models.PositiveSmallIntegerField(default=10)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Subscriber(models.Model):
    email = models.EmailField(max_length=254)
    newsletters = models.ManyToManyField(Newsletter, related_name="subscribers")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when mail to the address bounced hard."
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_subscriber_email")
        ]

    def __str__(self):
        return self.email

    @property
    def receives_mail(self):
        return self.confirmed_at is not None and self.suppressed_at is None


class SignUpAttempt(models.Model):
    """One sign-up request, kept an hour to limit them per client and address."""

    client = models.CharField(max_length=64, db_index=True)
    email = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Sign-up at {self.at:%Y-%m-%d %H:%M}"


class Edition(models.Model):
    class Status(models.TextChoices):
        READY = "ready", "Ready to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="editions"
    )
    issue_date = models.DateField()
    subject = models.CharField(max_length=200)
    articles = models.ManyToManyField(Article, related_name="+", blank=True)
    breaking = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.READY)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        constraints = [
            # One daily edition per newsletter and day, however often the
            # scheduler asks; breaking-news editions are one per story.
            models.UniqueConstraint(
                fields=["newsletter", "issue_date"],
                condition=models.Q(breaking=None),
                name="one_daily_edition",
            ),
            models.UniqueConstraint(
                fields=["newsletter", "breaking"], name="one_breaking_edition"
            ),
        ]

    def __str__(self):
        return f"{self.newsletter} — {self.subject}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not confirmed sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced (address suppressed)"

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.CLAIMED)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="one_delivery_each"
            )
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.edition} to {self.subscriber}: {self.get_status_display()}"
