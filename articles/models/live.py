"""Live updates: timestamped entries inside an article, and its live coverage.

An article becomes a live story with its first entry (`LiveCoverage` records
when, and who ended it). Entries are written by the write path
(articles/live.py), never saved directly.
"""

import html
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, strip_tags

from .. import embeds
from ..text import LineURLField
from .article import Article
from .catalogue import Author
from .image import Image

# What a plain text entry is stored as (articles/live.py: `entry_text`).
PLAIN_PARAGRAPHS = re.compile(r"(?:<p>(?:[^<]|<br>)*</p>\s*)+")


class LiveCoverage(models.Model):
    """An article's live coverage: started by its first entry, ended once."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="live_coverage",
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self):
        return f"Live coverage of {self.article}"

    @property
    def is_open(self):
        return self.ended_at is None


class LiveEntry(models.Model):
    """One timestamped update: text, an optional picture or embed, an author.

    At most one entry of an article is pinned: its key points, shown first.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_entries"
    )
    text = models.TextField(help_text="Sanitised like an article body.")
    image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    embed_url = LineURLField(
        max_length=embeds.MAX_URL_LENGTH,
        blank=True,
        help_text="A post, video or chart to embed, by its address.",
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned = models.BooleanField(
        default=False, help_text="The key points, shown above the other entries."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "live entries"
        indexes = [models.Index(fields=["article", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(pinned=True),
                name="one_pinned_live_entry",
            )
        ]

    def __str__(self):
        return f"Live entry on {self.article} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def anchor(self):
        return f"live-entry-{self.pk}"

    @property
    def plain_text(self):
        """The words alone, on one line (structured data, the admin's list)."""
        spaced = strip_tags(self.text.replace("<", " <"))
        return " ".join(html.unescape(spaced).split())

    @property
    def editable_text(self):
        """The text as an editor typed it: plain paragraphs back as plain text
        (blank lines between), anything richer as its HTML."""
        if PLAIN_PARAGRAPHS.fullmatch(self.text):
            found = re.findall(r"<p>((?:[^<]|<br>)*)</p>", self.text)
            return "\n\n".join(
                html.unescape(paragraph.replace("<br>", "\n")) for paragraph in found
            )
        return self.text

    @property
    def embed_html(self):
        """The embed as a stored body keeps it (articles/embeds.py), or ""."""
        embed = embeds.recognise(self.embed_url)
        if embed is None:
            return ""
        return format_html(
            '<figure class="embed" data-embed-provider="{key}" data-embed-url="{url}">'
            '<a href="{url}">{name}: {url}</a></figure>',
            key=embed.provider.key,
            url=embed.url,
            name=embed.provider.name,
        )
