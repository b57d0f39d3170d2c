"""Editorial's own data: shareable preview links and autosaved forms."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article


class PreviewLink(models.Model):
    """A signed, expiring, revocable link to a draft for people without an account."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Preview of {self.article}"

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class Autosave(models.Model):
    """What a user typed in an article's form and has not saved yet.

    One copy per user and article (`article` empty: a new article's form). It
    is never the article: a real save goes through the write path and deletes
    the copy; a copy made from an older version than the article's is stale and
    never offered (articles/editorial/autosave.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The article's version the form was opened at."
    )
    data = models.JSONField(help_text="The form's fields: name → list of values.")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="autosave_one_per_user_and_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_article_per_user",
            ),
        ]

    def __str__(self):
        return f"Unsaved changes to {self.article or 'a new article'}"
