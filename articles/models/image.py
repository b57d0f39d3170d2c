"""Pictures: a file with its alt text, caption and credit."""

from django.core.exceptions import ValidationError
from django.db import models

from ..images import CleanImageField, validate_image_file


class Image(models.Model):
    # Every new file is stored re-encoded: upright, no EXIF/GPS, nothing appended.
    file = CleanImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
    )
    alt = models.CharField(
        "alt text",
        max_length=300,
        help_text="Describes the picture for readers who cannot see it.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    source_uri = models.CharField(max_length=500, blank=True, editable=False)
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Renditions a source offered.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.alt or self.file.name

    def clean(self):
        if not self.alt.strip():
            raise ValidationError({"alt": "An image needs alt text."})
