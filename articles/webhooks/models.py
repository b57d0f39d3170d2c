"""Partners' endpoints, what the site last told them about each article, and
every delivery."""

import secrets

from django.db import models

from articles.models import Article


def new_secret():
    return secrets.token_urlsafe(32)


class Endpoint(models.Model):
    class Event(models.TextChoices):
        PUBLISHED = "published", "Published"
        UPDATED = "updated", "Updated"
        WITHDRAWN = "withdrawn", "Withdrawn or unpublished"
        CORRECTED = "corrected", "Corrected"

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Signs every delivery (HMAC-SHA256); give it to the partner.",
    )
    events = models.JSONField(
        default=list, help_text="Which events are sent: published, updated, ..."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleState(models.Model):
    """What the last round saw of an article: events are the differences."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    live = models.BooleanField()
    version = models.PositiveIntegerField()
    corrections = models.PositiveIntegerField()

    def __str__(self):
        return f"State of {self.article_id}"


class Scan(models.Model):
    """Up to when articles have been looked at (one row)."""

    until = models.DateTimeField()

    def __str__(self):
        return f"Scanned until {self.until:%Y-%m-%d %H:%M:%S}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (no more retries)"

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=10, choices=Endpoint.Event)
    article = models.ForeignKey(
        Article, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.event} to {self.endpoint}"
