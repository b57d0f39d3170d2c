"""The article editor: list, filters, fieldsets, saving and actions.

Who may do what is decided in articles/editorial/workflow.py (roles) and
articles/access.py (what staff may see), and enforced here on the server:
querysets, object permissions, form fields and actions, not buttons. The form
is in article_form.py, its inline rows in inlines.py.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import publishing
from articles.access import (
    can_edit_any,
    can_view_article,
    visible_articles,
    visible_images,
)
from articles.freshness import RetiresPages
from articles.models import (
    Article,
    Byline,
    Correction,
    Image,
)

from ..body_media import editor_config
from ..workflow import (
    EDITABLE_BY_REPORTERS,
    can_edit_article,
    can_publish,
    refuse_status,
)
from .article_actions import ACTIONS, done_message, offered
from .article_filters import ReviewFilter, ScheduleFilter
from .article_form import REPORTER_STATUS_MESSAGE, ArticleAdminForm, error_summary
from .article_pages import ArticlePagesMixin
from .autosave import AutosaveMixin
from .embargo import embargo_label
from .inlines import BylineInline, CorrectionInline, RelatedLinkInline
from .live import LiveUpdatesMixin


@admin.register(Article)
class ArticleAdmin(
    LiveUpdatesMixin,
    AutosaveMixin,
    ArticlePagesMixin,
    RetiresPages,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    # The state column carries the time (live since, scheduled for): one
    # column less leaves the headline room at a desktop width.
    list_display = ["headline", "section", "state", "byline", "thumbnail"]
    list_filter = [
        ReviewFilter,
        "status",
        ScheduleFilter,
        "section",
        ("bylines__author", admin.RelatedFieldListFilter),
        "published_at",
    ]
    list_select_related = ["section", "hero_image"]
    list_per_page = 50
    search_fields = ["headline", "=slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "hero_image"]
    inlines = [BylineInline, CorrectionInline, RelatedLinkInline]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    change_form_template = "admin/articles/article/change_form.html"
    readonly_fields = ["created_at", "updated_at", "public_updated_at", "source_uri"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The writing screen (change_form.html): the words in the main column;
    # publishing (the actions), placement and sharing in a side column.
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "deck", "body"]}),
        (
            "Credit and dateline",
            {
                "fields": [
                    "credit",
                    ("dateline_place", "dateline_date", "dateline_source"),
                ],
                "description": "People go in the byline rows below. Wire copy "
                "may have only a credit (“NTB”, “Staff and agencies”): it can "
                "be published without an author. The dateline opens the first "
                "paragraph: “CAIRO —”, or “LONDON, Dec. 3 (Reuters) —”.",
            },
        ),
        (
            "Publishing",
            {
                "classes": ["newsroom-side", "newsroom-publishing"],
                "fields": [
                    "status",
                    "published_at",
                    "embargoed_until",
                    "withdrawn_reason",
                    "update_public_time",
                    "publish_uncredited",
                    "base_version",
                ],
            },
        ),
        (
            "Placement",
            {
                "classes": ["newsroom-side"],
                "fields": ["section", "tags", "hero_image", "slug"],
            },
        ),
        (
            "Search engines and sharing",
            {
                "classes": ["newsroom-side", "newsroom-sharing"],
                "fields": ["seo_title", "seo_description", "canonical_url", "language"],
            },
        ),
        (
            "Record",
            {
                "classes": ["newsroom-side", "collapse"],
                "fields": [
                    "source_uri",
                    "created_at",
                    "updated_at",
                    "public_updated_at",
                ],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom/editorial.css", "admin/newsroom/body-media.css"]}
        js = [
            "admin/newsroom/tag-suggest.js",
            "admin/newsroom/editor-icons.js",
            "admin/newsroom/writing.js",
            "admin/newsroom/embargo.js",
        ]

    # Who sees and changes what

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )
        )
        return visible_articles(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        """An article the user may not see is the same 404 as a missing one."""
        article = super().get_object(request, object_id, from_field)
        if article is None:
            raise Http404("No such article.")
        return article

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        return visible_articles(request.user, queryset), may_have_duplicates

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_article(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_any(request.user))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view_article(request.user, obj))

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_fieldsets(self, request, obj=None):
        hidden = set()
        if not can_publish(request.user):
            hidden |= {
                "published_at",
                "embargoed_until",
                "withdrawn_reason",
                "update_public_time",
            }
        if obj is None:
            hidden |= {"update_public_time", "base_version"}
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in hidden],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hero_image":
            # The picker only offers what the user may see; the form accepts
            # nothing else (a reporter posting a hidden image's id would see it).
            kwargs["queryset"] = visible_images(request.user, Image.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("headline", "seo_description"):
            # A headline wraps in a box that grows with it, never cut off at
            # the input's edge (line breaks are folded by the field).
            kwargs["widget"] = AdminTextareaWidget(
                attrs={"rows": 2 if db_field.name == "headline" else 3}
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags" and field is not None:
            field.widget.attrs.update(
                {
                    "data-suggest-url": reverse("admin:articles_tag_suggest"),
                    "autocomplete": "off",
                }
            )
        if db_field.name == "body" and field is not None:
            field.widget.config = editor_config(field.widget.config)
        return field

    # The writing screen

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
        state = form.saved_state() if "status" in form.fields else None
        context.update(
            error_summary=error_summary(form, formsets),
            desk_state=state,
            desk_actions=offered(state, request.user),
            embargo=embargo_label(original)
            if (original := context.get("original"))
            else "",
            time_zone=timezone.get_current_timezone_name(),
            # The admin's own `site_url` is its "View site" link.
            public_site_url=settings.SITE_URL,
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        if action := ACTIONS.get(request.POST.get("_action")):
            self.message_user(request, done_message(action, obj), messages.SUCCESS)
            return redirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if action := ACTIONS.get(request.POST.get("_action")):
            # The writer stays on the article, told what happened.
            self.message_user(request, done_message(action, obj), messages.SUCCESS)
            return redirect(request.path)
        return super().response_change(request, obj)

    # Lists

    @admin.display(description="status", ordering="published_at")
    def state(self, article):
        when = article.published_at and timezone.localtime(article.published_at)
        if embargo := embargo_label(article):
            if article.status == Article.Status.PUBLISHED:
                return embargo
            return format_html("{}, {}", article.get_status_display(), embargo)
        if article.is_scheduled:
            return f"Scheduled for {when:%d %b %Y %H:%M}"
        if article.is_live:
            return f"Live since {when:%d %b %Y %H:%M}"
        return article.get_status_display()

    @admin.display(description="byline")
    def byline(self, article):
        names = [author.name for author in article.byline_authors]
        return ", ".join([*names, article.credit] if article.credit else names)

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
        return reverse("editorial:preview", args=[article.pk])

    # Saving: the article, its inline rows and its revision are written by the
    # write path (articles/publishing.py) in save_related, once the form and
    # every inline are valid; save_model only settles what the user may set.

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not can_publish(request.user) and obj.status not in EDITABLE_BY_REPORTERS:
            # The form refuses this already; never let it through regardless.
            refuse_status(request.user, obj, obj.status)
            obj.status = form.initial.get("status") or Article.Status.DRAFT
            if obj.status not in EDITABLE_BY_REPORTERS:
                raise PermissionDenied(REPORTER_STATUS_MESSAGE)
        if change and obj.is_live and form.cleaned_data.get("update_public_time"):
            obj.public_updated_at = timezone.now()
        elif obj.status == Article.Status.PUBLISHED and obj.public_updated_at is None:
            # From now on only an editor's choice (or a correction) shows readers
            # an "Updated" time; minor edits do not.
            obj.public_updated_at = obj.published_at or timezone.now()

    def save_related(self, request, form, formsets, change):
        note = "Created" if not change else ""
        if "_saveasnew" in request.POST:
            note = "Saved as a new article"
        publishing.save(
            form.instance,
            by=request.user,
            note=note,
            links=lambda: super(ArticleAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Byline:
            formset.save(commit=False)  # what changed, for the history message
            publishing.set_bylines(form.instance, formset.authors())
        elif formset.model is Correction:
            self.save_corrections(request, form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_corrections(self, request, article, formset):
        added = False
        for correction in formset.save(commit=False):
            if correction.pk is None:
                correction.created_by = request.user
                added = True
            correction.save()
        for correction in formset.deleted_objects:
            correction.delete()
        if added:
            publishing.corrections_added(article)

    # Actions

    @admin.action(description="Send selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            if not can_edit_article(request.user, article):
                continue
            publishing.submit_for_review(article, by=request.user)
            count += 1
        self.message_user(request, f"Sent {count} article(s) for review.")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        published, refused = publishing.publish_all(
            queryset.prefetch_related("bylines"),
            by=request.user,
            note="Published from the list",
        )
        if published:
            self.message_user(request, f"Published {len(published)} article(s).")
        if refused:
            reasons = [f"“{a.headline}” ({', '.join(p)})" for a, p in refused]
            self.message_user(
                request, "Not published: " + "; ".join(reasons), messages.ERROR
            )

    @admin.action(
        description="Unpublish selected articles (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            publishing.unpublish(
                article, by=request.user, note="Unpublished from the list"
            )
            count += 1
        self.message_user(request, f"Unpublished {count} article(s).")
