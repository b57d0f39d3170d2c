"""Who writes and where stories go: authors and sections."""

from django.conf import settings
from django.db import models

from ..addresses import slug_path
from ..images import CleanImageField, validate_image_file
from ..text import LineField, LineSlugField, LineTextField, ProseField


class Author(models.Model):
    name = LineField(max_length=200)
    slug = LineSlugField(max_length=200, unique=True, allow_unicode=True)
    role = LineField(
        max_length=200, blank=True, help_text="Job title shown under the byline."
    )
    bio = ProseField(blank=True)
    photo = CleanImageField(
        upload_to="authors/", blank=True, validators=[validate_image_file]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The staff account that writes as this author, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("articles:author", self.slug)


class Section(models.Model):
    name = LineField(max_length=100)
    slug = LineSlugField(max_length=100, unique=True, allow_unicode=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order (lowest first)."
    )
    description = LineTextField(blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("articles:section", self.slug)
