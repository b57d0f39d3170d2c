"""Authors, sections and tags (pictures are the media app's)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from taggit.models import Tag as TaggitTag

from articles import publishing, purges
from articles.access import (
    NotFoundUnlessVisible,
    can_edit_any,
    known_articles,
    visible_tags,
)
from articles.freshness import RetiresPages
from articles.models import (
    Author,
    Byline,
    Section,
    Tag,
    TagAlias,
    clean_tag_name,
    tag_key,
)
from articles.storage import ReportsStorageFailures

from .. import tagging
from ..workflow import is_admin

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


@admin.register(Author)
class AuthorAdmin(ReportsStorageFailures, RetiresPages, admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        # Bylines show the author's name on their stories' pages and cards; the
        # author's own pages are purged under the old address and the new one.
        old = Author.objects.filter(pk=obj.pk).values_list("slug", flat=True)
        slugs = [*old, obj.slug]
        super().save_model(request, obj, form, change)
        if change:
            publishing.articles_changed(
                Byline.objects.filter(author=obj).values_list("article_id", flat=True),
                pages={"authors": slugs},
                related=False,
            )


@admin.register(Section)
class SectionAdmin(RetiresPages, admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        # Every page shows the sections' names in its navigation; the section's
        # own pages are purged under its old address and its new one.
        old = Section.objects.filter(pk=obj.pk).values_list("slug", flat=True)
        slugs = [*old, obj.slug]
        super().save_model(request, obj, form, change)
        purges.record_purge([], pages={"nav": True, "sections": slugs})


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
        alias = (
            TagAlias.objects.filter(key=tag_key(name))
            .exclude(tag=self.instance.pk)
            .select_related("tag")
            .first()
        )
        if alias:
            raise ValidationError(
                f"“{alias.name}” was merged into the tag “{alias.tag.name}” and is "
                "one of its aliases. To use the name again, remove the alias "
                f"on the page of “{alias.tag.name}” first."
            )
        return name

    def save(self, commit=True):
        # A name an editor typed is their choice: imports never respell it.
        if not self.instance.pk or "name" in self.changed_data:
            self.instance.named_by_editor = True
        return super().save(commit)


@admin.register(TagAlias)
class TagAliasAdmin(admin.ModelAdmin):
    """The names merged into tags, made by merges; removing one lets imports
    and editors create a tag of that name again."""

    list_display = ["name", "tag", "created_at"]
    list_select_related = ["tag"]
    search_fields = ["name", "tag__name"]
    ordering = ["name"]

    def has_add_permission(self, request):
        return False  # a merge makes them

    def has_change_permission(self, request, obj=None):
        return False  # nothing to change: remove one, or merge again


@admin.register(Tag)
class TagAdmin(NotFoundUnlessVisible, RetiresPages, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "article_count"]
    ordering = ["name"]  # Meta.ordering is dropped by the count's GROUP BY
    search_fields = ["name"]
    readonly_fields = ["key", "aliases"]
    actions = ["merge_tags"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and request.user.has_perm("articles.view_tagalias"):
            return self.readonly_fields
        return ["key"]  # reporters: the names merged away are editors' business

    def get_queryset(self, request):
        tags = visible_tags(request.user, super().get_queryset(request))
        return tags.annotate(
            article_count=article_count(request, "article_items", "content_object")
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    @admin.display(description="aliases")
    def aliases(self, tag):
        """The names merged into this tag, each with its "Remove" link."""
        aliases = list(tag.aliases.all())
        if not aliases:
            return "None. Merging a tag into this one makes its name an alias."
        return format_html_join(
            "",
            '<div>{} <a href="{}" class="deletelink">Remove</a></div>',
            (
                (a.name, reverse("admin:articles_tagalias_delete", args=[a.pk]))
                for a in aliases
            ),
        )

    def save_model(self, request, obj, form, change):
        """Renaming moves the tag to a slug for its new name; the old one redirects."""
        old_slug = form.initial.get("slug") if change else None
        if change and "name" in form.changed_data and "slug" not in form.changed_data:
            obj.slug = tagging.free_slug(obj)
        super().save_model(request, obj, form, change)
        # Renamed to one of its own aliases: the name is the tag's again.
        TagAlias.objects.filter(tag=obj, key=obj.key).delete()
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
        key = tag_key(query)
        aliased = TagAlias.objects.filter(key__startswith=key).values("tag")
        tags = self.get_queryset(request).filter(
            Q(key__startswith=key) | Q(name__icontains=query) | Q(pk__in=aliased)
        )
        tags = tags.order_by("-article_count", "name")[:10]
        return JsonResponse(
            {"results": [{"name": t.name, "count": t.article_count} for t in tags]}
        )
