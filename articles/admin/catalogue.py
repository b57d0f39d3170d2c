"""Authors, sections, tags and images."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from taggit.models import Tag as TaggitTag

from .. import tagging
from ..models import Author, Image, Section, Tag, clean_tag_name, tag_key
from ..tasks import record_renditions
from ..workflow import (
    can_edit_any,
    can_edit_image,
    is_admin,
    known_articles,
    visible_images,
    visible_tags,
)

# Articles use their own tag model (articles.Tag); taggit's default one is unused.
admin.site.unregister(TaggitTag)


def article_count(request, relation, article=None):
    """Count(relation), of only the articles the user may know of.

    `article` is the path from a `relation` row to its article, if it is not
    the article itself.
    """
    if can_edit_any(request.user):
        return Count(relation)
    path = f"{relation}__{article}" if article else relation
    return Count(relation, filter=Q(**{f"{path}__in": known_articles(request.user)}))


class NotFoundUnlessVisible:
    """What `get_queryset` leaves out answers 404, as if it did not exist.

    (Django's admin would redirect to its index saying the object "doesn't
    exist", which differs from a missing one in status and address.)
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No such {self.opts.verbose_name}.")
        return obj


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "article_count"]
    ordering = ["name"]  # Meta.ordering is dropped by the count's GROUP BY
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=article_count(request, "bylines", "article"))
        )

    def get_readonly_fields(self, request, obj=None):
        # Linking an account to a byline grants it that author's articles.
        return [] if is_admin(request.user) else ["user"]

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, author):
        return author.article_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "article_count"]
    ordering = ["position", "name"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=article_count(request, "articles"))
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, section):
        return section.article_count


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = clean_tag_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError("A tag needs a name.")
        twin = (
            Tag.objects.filter(key=tag_key(name)).exclude(pk=self.instance.pk).first()
        )
        if twin:
            raise ValidationError(
                f"The tag “{twin.name}” already exists. To make them one, select "
                "both in the tag list and use “Merge selected tags”."
            )
        return name


@admin.register(Tag)
class TagAdmin(NotFoundUnlessVisible, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "article_count"]
    ordering = ["name"]  # Meta.ordering is dropped by the count's GROUP BY
    search_fields = ["name"]
    readonly_fields = ["key"]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        tags = visible_tags(request.user, super().get_queryset(request))
        return tags.annotate(
            article_count=article_count(request, "article_items", "content_object")
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    def save_model(self, request, obj, form, change):
        """Renaming moves the tag to a slug for its new name; the old one redirects."""
        old_slug = form.initial.get("slug") if change else None
        if change and "name" in form.changed_data and "slug" not in form.changed_data:
            obj.slug = tagging.free_slug(obj)
        super().save_model(request, obj, form, change)
        if old_slug and old_slug != obj.slug:
            tagging.keep_old_address(old_slug, obj)

    @admin.action(
        description="Merge selected tags into one", permissions=["change", "delete"]
    )
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("-article_count", "name"))
        if len(tags) < 2:
            self.message_user(
                request, "Select at least two tags to merge.", messages.ERROR
            )
            return None
        if "apply" in request.POST:
            target = next(
                (t for t in tags if str(t.pk) == request.POST.get("target")), None
            )
            if target is None:
                self.message_user(request, "Choose the tag to keep.", messages.ERROR)
            else:
                count = tagging.merge_tags(tags, target)
                self.message_user(
                    request,
                    f"Merged {len(tags) - 1} tag(s) into “{target.name}”; "
                    f"{count} article(s) re-tagged. Old addresses redirect.",
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge tags",
            "tags": tags,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/tag/merge.html", context)

    def get_urls(self):
        return [
            path(
                "suggest/",
                self.admin_site.admin_view(self.suggest_view),
                name="articles_tag_suggest",
            ),
            *super().get_urls(),
        ]

    def suggest_view(self, request):
        """Tag names for the article form's tag field: `?q=` a name's beginning."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = clean_tag_name(request.GET.get("q", ""))[:100]
        if not query:
            return JsonResponse({"results": []})
        tags = self.get_queryset(request).filter(
            Q(key__startswith=tag_key(query)) | Q(name__icontains=query)
        )
        tags = tags.order_by("-article_count", "name")[:10]
        return JsonResponse(
            {"results": [{"name": t.name, "count": t.article_count} for t in tags]}
        )


@admin.register(Image)
class ImageAdmin(NotFoundUnlessVisible, admin.ModelAdmin):
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
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            record_renditions([obj.pk])  # made by a task once the save commits

    @admin.display(description="image")
    def preview(self, image):
        if not image.file:
            return ""
        return format_html(
            '<img src="{}" alt="" width="96" loading="lazy" style="height:auto">',
            image.file.url,
        )
