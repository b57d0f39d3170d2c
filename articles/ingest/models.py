"""Wire sources polled on a schedule, and a record of every poll."""

from django.db import models

from articles.models import Article, Section


class WireSource(models.Model):
    """A feed (RSS, Atom, ninjs, NewsML-G2 over HTTP) or a folder an agency
    drops files into, imported every `interval_minutes`."""

    class Policy(models.TextChoices):
        DRAFT = "draft", "Land as drafts for review"
        PUBLISH = "publish", "Publish directly"

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500, blank=True, help_text="A feed's address.")
    folder = models.CharField(
        max_length=500, blank=True, help_text="Or a folder on the server."
    )
    interval_minutes = models.PositiveIntegerField(default=15)
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Every story goes here (else the source's own section, or News).",
    )
    policy = models.CharField(max_length=10, choices=Policy, default=Policy.DRAFT)
    active = models.BooleanField(default=True)

    # What the last polls left: conditional GET validators, the schedule, health.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    failures = models.PositiveIntegerField(
        default=0, help_text="Polls failed in a row (each one waits twice as long)."
    )
    folder_seen = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="", folder=""), name="wire_source_has_a_place"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def status(self):
        return (
            Article.Status.DRAFT
            if self.policy == self.Policy.DRAFT
            else Article.Status.PUBLISHED
        )


class WireRun(models.Model):
    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        NOT_MODIFIED = "not-modified", "Not modified"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(
        WireSource, on_delete=models.CASCADE, related_name="runs"
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=15, choices=Outcome)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source}: {self.get_outcome_display()}"
