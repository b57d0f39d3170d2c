"""The editors' workplace: articles with ordered bylines, tags, images and sections."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag as TaggitTag

from .models import Article, Author, Byline, Image, RelatedLink, Section, Tag
from .related import refresh_related_around

# Articles use their own tag model (articles.Tag); taggit's default one is unused.
admin.site.unregister(TaggitTag)


class BylineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        authors = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if not authors:
            raise ValidationError("A published article needs at least one author.")


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target"]
    fields = ["target", "kind", "position", "reason"]
    readonly_fields = ["reason"]
    extra = 0
    verbose_name = "related article"
    verbose_name_plural = "Related articles (pinned first, then computed)"


class ScheduleFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", "Live now"), ("scheduled", "Scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        return queryset


def publishing_problems(article):
    problems = []
    if not article.headline.strip():
        problems.append("no headline")
    if not article.body.strip():
        problems.append("no body")
    if not article.bylines.exists():
        problems.append("no author")
    return problems


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "section",
        "state",
        "byline",
        "published_at",
        "thumbnail",
    ]
    list_filter = [
        "status",
        ScheduleFilter,
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    list_select_related = ["section", "hero_image"]
    list_per_page = 50
    search_fields = ["headline", "=slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "hero_image"]
    inlines = [BylineInline, RelatedLinkInline]
    actions = ["publish_now", "unpublish"]
    readonly_fields = ["created_at", "updated_at", "source_uri"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "deck", "body"]}),
        ("Placement", {"fields": ["section", "tags", "hero_image"]}),
        ("Publishing", {"fields": ["status", "published_at", "withdrawn_reason"]}),
        (
            "Search engines and sharing",
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description", "canonical_url", "language"],
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["source_uri", "created_at", "updated_at"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )
        )

    @admin.display(description="status", ordering="status")
    def state(self, article):
        if article.is_scheduled:
            when = timezone.localtime(article.published_at)
            return f"Scheduled for {when:%d %b %Y %H:%M}"
        return article.get_status_display()

    @admin.display(description="authors")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.display(description="image")
    def thumbnail(self, article):
        image = article.hero_image
        if not image or not image.file:
            return ""
        return format_html(
            '<img src="{}" alt="" width="64" loading="lazy" style="height:auto">',
            image.file.url,
        )

    def view_on_site(self, article):
        if article.is_live:
            return article.get_absolute_url()
        return reverse("articles:preview", args=[article.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_related_around(form.instance)

    @admin.action(description="Publish selected articles now")
    def publish_now(self, request, queryset):
        published, refused = 0, []
        for article in queryset.prefetch_related("bylines"):
            problems = publishing_problems(article)
            if problems:
                refused.append(f"“{article.headline}” ({', '.join(problems)})")
                continue
            article.status = Article.Status.PUBLISHED
            article.published_at = timezone.now()
            article.save()
            refresh_related_around(article)
            published += 1
        if published:
            self.message_user(request, f"Published {published} article(s).")
        if refused:
            self.message_user(
                request, "Not published: " + "; ".join(refused), messages.ERROR
            )

    @admin.action(description="Unpublish selected articles (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(request, f"Unpublished {count} article(s).")


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("bylines"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, author):
        return author.article_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, section):
        return section.article_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    readonly_fields = ["key"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(article_count=Count("article_items"))
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, tag):
        return tag.article_count


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "alt", "credit", "width", "height", "created_at"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["width", "height"]

    @admin.display(description="image")
    def preview(self, image):
        if not image.file:
            return ""
        return format_html(
            '<img src="{}" alt="" width="96" loading="lazy" style="height:auto">',
            image.file.url,
        )
