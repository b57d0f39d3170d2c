"""Editorial's own data: shareable preview links."""

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
