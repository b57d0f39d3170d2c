"""What happened to an article: revisions as saved, and public corrections."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..text import LineField, ProseField
from .article import Article


class Revision(models.Model):
    """A snapshot of an article as saved: who, when, and what it said."""

    # Not indexed alone: unique_revision_number starts with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    data = models.JSONField(help_text="The article's fields, tags and authors.")
    note = LineField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="unique_revision_number"
            )
        ]

    def __str__(self):
        return f"{self.article} (revision {self.number})"


class Correction(models.Model):
    """A public note on a published article: a correction, clarification or update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=15, choices=Kind, default=Kind.CORRECTION)
    text = ProseField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.article}"
