"""Wire sources in the admin: their health at a glance, and their polls."""

from django.contrib import admin, messages
from django.db import models

from articles import tasks

from .models import WireRun, WireSource
from .tasks import poll_source


class WireRunInline(admin.TabularInline):
    model = WireRun
    fields = [
        "started_at",
        "outcome",
        "created",
        "updated",
        "unchanged",
        "failed",
        "errors",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-started_at"]

    def get_queryset(self, request):
        recent = super().get_queryset(request).order_by("-started_at")
        ids = list(recent.values_list("pk", flat=True)[:20])
        return recent.filter(pk__in=ids)


@admin.register(WireSource)
class WireSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "policy", "health", "last_poll", "next_poll_at"]
    list_filter = ["active", "policy"]
    readonly_fields = ["failures", "next_poll_at", "etag", "last_modified"]
    fields = [
        "name",
        "url",
        "folder",
        "interval_minutes",
        "section",
        "policy",
        "active",
        *readonly_fields,
    ]
    inlines = [WireRunInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["poll_now"]

    @admin.display(description="Health")
    def health(self, source):
        if source.failures:
            return f"Failing ({source.failures} in a row)"
        return "OK" if source.runs.exists() else "Not polled yet"

    @admin.display(description="Last poll")
    def last_poll(self, source):
        run = source.runs.first()
        if run is None:
            return "—"
        counts = f"{run.created} new, {run.updated} updated, {run.unchanged} unchanged"
        if run.outcome == WireRun.Outcome.IMPORTED:
            return f"{run.started_at:%Y-%m-%d %H:%M}: {counts}"
        return f"{run.started_at:%Y-%m-%d %H:%M}: {run.get_outcome_display()}"

    @admin.action(description="Poll the selected sources now")
    def poll_now(self, request, queryset):
        queued = sum(
            tasks.enqueue(poll_source, pk)
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, f"{queued} source(s) handed to the task queue.", messages.SUCCESS
        )
