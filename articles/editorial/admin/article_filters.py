"""The article list's filters: the workflow state and what readers see."""

from django.contrib import admin


class ReviewFilter(admin.SimpleListFilter):
    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Live now"),
            ("withdrawn", "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "live":
            return queryset.published()
        if value == "scheduled":
            return queryset.scheduled()
        if value in ("draft", "review", "withdrawn"):
            return queryset.filter(status=value)
        return queryset


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
