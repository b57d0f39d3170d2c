"""Articles, their bylines, related links, old addresses and owed work.

How articles are asked for (`Article.objects`, the visibility rule) is in
querysets.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from ..addresses import article_path
from ..sanitize import BODY_EDITOR_EXTENSIONS, sanitize_body
from ..text import LineField, LineSlugField, LineTextField, LineURLField, ProseField
from .catalogue import Author, Section
from .image import Image
from .querysets import ArticleQuerySet
from .tags import ArticleTag, TagManager


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    kicker = LineField(
        max_length=100, blank=True, help_text="A word or two above the headline."
    )
    headline = LineField(max_length=300)
    slug = LineSlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the article's address.",
    )
    deck = LineTextField(
        blank=True,
        help_text="One or two sentences under the headline, in listings and feeds.",
    )
    body = ProseEditorField(
        extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_body, blank=True
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="articles",
        # article_section_idx starts with it: one index fewer to write.
        db_index=False,
    )
    authors = models.ManyToManyField(
        Author, through="Byline", related_name="articles", blank=True
    )
    tags = TaggableManager(through=ArticleTag, manager=TagManager, blank=True)
    credit = LineField(
        max_length=200,
        blank=True,
        help_text="Agency or source credit, e.g. “dpa” or “Reuters”; not a person.",
    )
    dateline_place = LineField(
        "dateline",
        max_length=100,
        blank=True,
        help_text="Where the story was reported, as readers see it before the "
        "first paragraph: “CAIRO” or “KYIV, Ukraine”.",
    )
    dateline_date = LineField(
        "dateline date",
        max_length=30,
        blank=True,
        help_text="Only when the story was filed on another day: “Dec. 3”.",
    )
    dateline_source = LineField(
        "dateline source",
        max_length=50,
        blank=True,
        help_text="The agency the dateline credits, if any: “Reuters”, “AP”.",
    )
    hero_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Looked up through article_live_idx (status, published_at).
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Readers see a published article from this time on. "
        "A future time schedules it.",
    )
    embargoed_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Readers see nothing of the story before this time, whatever "
        "its status; staff can still edit, review and preview it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_date_only = models.BooleanField(
        "published on a day, no time",
        default=False,
        help_text="The source gave the day only: readers see the date without a "
        "time. Cleared when an editor sets the time.",
    )
    public_updated_at = models.DateTimeField(
        "updated (shown to readers)",
        null=True,
        blank=True,
        help_text="The “Updated” time readers see; minor edits leave it alone.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one on every save."
    )
    withdrawn_reason = ProseField(
        blank=True, help_text="Shown to readers when the article is withdrawn."
    )
    canonical_url = LineURLField(
        "canonical URL",
        max_length=500,
        blank=True,
        help_text="Only when the story's original lives elsewhere.",
    )
    seo_title = LineField("SEO title", max_length=200, blank=True)
    seo_description = LineField("SEO description", max_length=300, blank=True)
    language = LineField(max_length=20, default="en")
    source_uri = LineField(
        max_length=500,
        null=True,
        blank=True,
        editable=False,
        help_text="Where an imported article came from; re-imports match on it.",
    )
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)
    related_articles = models.ManyToManyField(
        "self",
        through="RelatedLink",
        symmetrical=False,
        related_name="+",
        blank=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_live_idx"),
            models.Index(
                fields=["section", "status", "-published_at"],
                name="article_section_idx",
            ),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The next go-live (`scheduled()`), looked up as each write or
            # import batch retires pages: without it, a scan of every article.
            models.Index(
                fields=["embargoed_until"],
                name="article_embargo_idx",
                condition=Q(embargoed_until__isnull=False),
            ),
        ]
        constraints = [
            # Re-imports match on it, exactly (a constraint, not `unique=True`:
            # no second index for LIKE queries nobody makes).
            models.UniqueConstraint(
                fields=["source_uri"], name="article_source_uri_unique"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        if not self._state.adding:
            self.version += 1
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # Old addresses, revisions and follow-up work are the write path's
        # (articles/publishing.py): save() writes this row only.
        return super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The public address; drafts get the address they will have."""
        return article_path(self.published_at, self.slug)

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and not self.is_embargoed
        )

    @property
    def is_embargoed(self):
        """Held back from readers until `embargoed_until`, whatever its status."""
        return (
            self.embargoed_until is not None and self.embargoed_until > timezone.now()
        )

    @property
    def is_scheduled(self):
        """Published, and waiting for its time (or its embargo) to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at > timezone.now() or self.is_embargoed)
        )

    @property
    def byline_authors(self):
        """Authors in byline order (uses the prefetched bylines when there)."""
        return [b.author for b in self.bylines.all()]

    @property
    def dateline(self):
        """The dateline in the house style, without its dash: "CAIRO", "LONDON,
        Dec. 3 (Reuters)"; empty when the story has no place."""
        if not self.dateline_place:
            return ""
        line = self.dateline_place
        if self.dateline_date:
            line = f"{line}, {self.dateline_date}"
        if self.dateline_source:
            line = f"{line} ({self.dateline_source})"
        return line


class Byline(models.Model):
    class Role(models.TextChoices):
        WRITER = "writer", "Writer"
        ADDITIONAL_REPORTING = "reporting", "Additional reporting"
        PHOTOGRAPHER = "photographer", "Photographs"
        VIDEO = "video", "Video"
        EDITOR = "editor", "Editing"
        TRANSLATOR = "translator", "Translation"

    # Not indexed alone: unique_byline_author starts with the article, the
    # (author, article) index with the author (two indexes fewer to write).
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines", db_index=False
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", db_index=False
    )
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=20,
        choices=Role,
        default=Role.WRITER,
        help_text="Writers are named after “By”; the others in lines of their own.",
    )
    suffix = LineField(
        max_length=100,
        blank=True,
        help_text="Said after the name: “with The Associated Press”.",
    )
    published_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="The article's publication time, kept here by the write path "
        "for the author's page to read its stories newest first from an index.",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="unique_byline_author"
            )
        ]
        indexes = [
            models.Index(fields=["author", "article"]),
            models.Index(
                fields=["author", "-published_at", "-article"],
                name="byline_listing_idx",
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class RelatedLink(models.Model):
    """A related article shown under a story: pinned by an editor or computed."""

    class Kind(models.TextChoices):
        PINNED = "pinned", "Pinned by an editor"
        COMPUTED = "computed", "Computed"
        EXCLUDED = "excluded", "Excluded by an editor"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.PINNED)
    position = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0)
    reason = LineField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target"], name="unique_related_link"
            ),
            models.CheckConstraint(
                condition=~Q(article=F("target")), name="related_link_not_self"
            ),
        ]
        indexes = [models.Index(fields=["article", "kind", "position"])]

    def __str__(self):
        return f"{self.article} → {self.target}"


class PendingWork(models.Model):
    """Follow-up work a write still owes: an article's related links, a picture's
    renditions, the purge of the cached pages that show an article.

    Written in the transaction that makes the change and deleted once the work
    is done, so work whose task was lost (a worker killed, a queue that was
    down) is still on record: the sweeper (`manage.py run_scheduler`) hands it
    to the queue again (articles/tasks.py).
    """

    class Kind(models.TextChoices):
        RELATED = "related", "Related links"
        AROUND = "around", "Related links, and those of its closest neighbours"
        RENDITIONS = "renditions", "Renditions of a picture"
        PURGE = "purge", "Purge of the cached pages that show an article"

    kind = models.CharField(max_length=10, choices=Kind)
    article = models.ForeignKey(
        Article, null=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        Image, null=True, on_delete=models.CASCADE, related_name="+"
    )
    shown = models.JSONField(
        default=dict,
        blank=True,
        help_text="A purge's: what the pages showed before the write (the "
        "article's section, tag and author slugs while it was live; the "
        "navigation, the corrections page).",
    )
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Not to be done before this time (a scheduled story's go-live).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True,
        default=timezone.now,
        help_text="When a task for it was last enqueued; empty if the queue "
        "refused it.",
    )
    attempts = models.PositiveIntegerField(
        default=1, help_text="How many times a task for it was enqueued."
    )

    class Meta:
        verbose_name_plural = "pending work"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="renditions", image__isnull=False)
                | Q(kind="purge")
                | (~Q(kind__in=["renditions", "purge"]) & Q(article__isnull=False)),
                name="pending_work_has_its_object",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.image_id or self.article_id}"


class ArticleRedirect(models.Model):
    """An address an article used to have; it answers 301 to the current one."""

    old_path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.old_path
