"""Newsletters in the admin: the lists, subscribers (never on a public page),
and editions with a preview and a send action."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html

from articles import tasks
from articles.models import Article

from .editions import build_breaking, render
from .models import Delivery, Edition, Newsletter, Subscriber
from .tasks import send_edition


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "section", "send_hour", "active", "subscribed"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        confirmed = Q(subscribers__confirmed_at__isnull=False)
        return (
            super()
            .get_queryset(request)
            .annotate(confirmed=Count("subscribers", filter=confirmed))
        )

    @admin.display(description="Confirmed subscribers", ordering="confirmed")
    def subscribed(self, newsletter):
        return newsletter.confirmed


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "confirmed_at", "suppressed_at"]
    list_filter = ["newsletters", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["subject", "newsletter", "issue_date", "status", "delivered"]
    list_filter = ["newsletter", "status"]
    readonly_fields = ["status", "sent_at", "created_at", "delivered", "preview"]
    autocomplete_fields = ["articles", "breaking"]
    actions = ["send"]

    def get_queryset(self, request):
        by_status = {
            name: Count("deliveries", filter=Q(deliveries__status=status))
            for name, status in (
                ("sent_count", Delivery.Status.SENT),
                ("claimed_count", Delivery.Status.CLAIMED),
                ("failed_count", Delivery.Status.FAILED),
                ("bounced_count", Delivery.Status.BOUNCED),
            )
        }
        return super().get_queryset(request).annotate(**by_status)

    @admin.display(description="Deliveries")
    def delivered(self, edition):
        text = f"{edition.sent_count} sent"
        for count, label in (
            (edition.claimed_count, "claimed, not confirmed sent"),
            (edition.failed_count, "failed"),
            (edition.bounced_count, "bounced"),
        ):
            if count:
                text += f", {count} {label}"
        return text

    @admin.display(description="Preview")
    def preview(self, edition):
        if edition.pk is None:
            return "Save the edition to preview it."
        return format_html(
            '<iframe src="{}" title="Preview of the edition" '
            'style="width:100%;max-width:660px;height:640px;border:1px solid #ccc">'
            "</iframe>",
            reverse("admin:newsletters_edition_preview", args=[edition.pk]),
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        breaking = self.admin_site.admin_view(self.breaking_view)
        return [
            path("<int:pk>/preview/", preview, name="newsletters_edition_preview"),
            path(
                "breaking/<int:article_pk>/",
                breaking,
                name="newsletters_edition_breaking",
            ),
            *super().get_urls(),
        ]

    def breaking_view(self, request, article_pk):
        """The breaking-news edition of a published story (made if need be),
        to preview and send: the article screen links here."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        article = get_object_or_404(Article.objects.published(), pk=article_pk)
        newsletter = Newsletter.objects.filter(
            active=True, kind=Newsletter.Kind.BREAKING
        ).first()
        if newsletter is None:
            self.message_user(
                request, "There is no active breaking-news newsletter.", messages.ERROR
            )
            return redirect("admin:newsletters_newsletter_changelist")
        edition = build_breaking(newsletter, article)
        return redirect("admin:newsletters_edition_change", edition.pk)

    def preview_view(self, request, pk):
        edition = get_object_or_404(Edition, pk=pk)
        if not self.has_view_permission(request, edition):
            return HttpResponse(status=403)
        html, _ = render(edition)
        response = HttpResponse(html)
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @admin.action(description="Send the selected editions to their subscribers")
    def send(self, request, queryset):
        sent = 0
        for edition in queryset.exclude(status=Edition.Status.SENT):
            if tasks.enqueue(send_edition, edition.pk):
                sent += 1
        self.message_user(
            request,
            f"{sent} edition(s) handed to the task queue for sending.",
            messages.SUCCESS,
        )
