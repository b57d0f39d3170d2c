"""The picture admin: upload, describe and find pictures.

Reporters see the pictures of public and own articles and their own uploads,
and may change a picture only when no one else's article shows it
(articles/access.py, docs/roles.md).
"""

from functools import partial

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html

from articles.access import NotFoundUnlessVisible, can_edit_image, visible_images
from articles.freshness import RetiresPages
from articles.models import Image
from articles.storage import ReportsStorageFailures
from articles.tasks import record_renditions

from . import renditions


@admin.register(Image)
class ImageAdmin(
    ReportsStorageFailures, NotFoundUnlessVisible, RetiresPages, admin.ModelAdmin
):
    list_display = ["preview", "alt", "credit", "width", "height", "created_at"]
    ordering = ["-created_at", "-pk"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["width", "height"]

    def get_queryset(self, request):
        return visible_images(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_image(request.user, obj))

    def save_model(self, request, obj, form, change):
        replaced = {}
        if change and "file" in form.changed_data:
            replaced = renditions.stored_files(Image.objects.filter(pk=obj.pk))
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            record_renditions([obj.pk])  # made by a task once the save commits
            discard_after_commit(replaced)

    def delete_model(self, request, obj):
        files = renditions.stored_files([obj])
        super().delete_model(request, obj)
        discard_after_commit(files)

    def delete_queryset(self, request, queryset):
        files = renditions.stored_files(queryset)
        super().delete_queryset(request, queryset)
        discard_after_commit(files)

    @admin.display(description="image")
    def preview(self, image):
        if not image.file:
            return ""
        return format_html(
            '<img src="{}" alt="" width="96" loading="lazy" style="height:auto">',
            image.file.url,
        )


def discard_after_commit(files):
    """The replaced or deleted pictures' files leave storage once that commits
    (unless another picture uses them)."""
    if files:
        transaction.on_commit(partial(renditions.discard, files))
