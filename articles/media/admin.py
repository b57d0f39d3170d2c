"""The picture admin: upload, describe and find pictures, record their
credit and rights, and choose their focal point.

Reporters see the pictures of public and own articles and their own uploads,
and may change a picture only when no one else's article shows it
(articles/access.py, docs/roles.md).
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html

from articles.access import NotFoundUnlessVisible, can_edit_image, visible_images
from articles.freshness import RetiresPages
from articles.models import Image
from articles.storage import ReportsStorageFailures
from articles.tasks import record_renditions

from . import renditions


class ImageAdminForm(forms.ModelForm):
    """The picture form; a focal point left empty is the centre."""

    def clean_focal_x(self):
        return centre_if_empty(self.cleaned_data.get("focal_x"))

    def clean_focal_y(self):
        return centre_if_empty(self.cleaned_data.get("focal_y"))


def centre_if_empty(value):
    return 0.5 if value is None else value


@admin.register(Image)
class ImageAdmin(
    ReportsStorageFailures, NotFoundUnlessVisible, RetiresPages, admin.ModelAdmin
):
    form = ImageAdminForm
    list_display = ["preview", "alt", "credit", "rights_expire_at", "created_at"]
    ordering = ["-created_at", "-pk"]
    search_fields = ["alt", "caption", "credit", "source"]
    readonly_fields = ["width", "height", "focal_point"]
    fieldsets = [
        (None, {"fields": ["file", "alt", "caption", ("width", "height")]}),
        (
            "Credit and rights",
            {"fields": ["credit", "source", "usage_terms", "rights_expire_at"]},
        ),
        (
            "Focal point",
            {
                "fields": ["focal_point", ("focal_x", "focal_y")],
                "description": "Crops keep this point of the picture: click "
                "where it matters most, or type the two numbers (0 to 1).",
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom/focal-point.css"]}
        js = ["admin/newsroom/focal-point.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("focal_x", "focal_y"):
            kwargs["required"] = False
            kwargs["widget"] = forms.NumberInput(
                attrs={"min": 0, "max": 1, "step": 0.01, "data-focal": db_field.name}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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
        if not obj.rights_expired and not renditions.is_current(obj):
            # A new file, a new focal point or renewed rights: made by a task
            # once the save commits.
            record_renditions([obj.pk])
        if "file" in form.changed_data:
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

    @admin.display(description="picture")
    def focal_point(self, image):
        if not image.file:
            return "Save the picture first, then choose its focal point."
        return format_html(
            '<div class="focal-point" data-focal-point>'
            '<img src="{}" alt="" width="{}" height="{}" draggable="false">'
            '<span class="focal-point__marker" aria-hidden="true" '
            'style="left: {}%; top: {}%"></span></div>',
            image.file.url,
            image.width or "",
            image.height or "",
            image.focal_x * 100,
            image.focal_y * 100,
        )


def discard_after_commit(files):
    """The replaced or deleted pictures' files leave storage once that commits
    (unless another picture uses them)."""
    if files:
        transaction.on_commit(partial(renditions.discard, files))
