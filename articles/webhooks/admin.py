"""Webhook endpoints and their delivery log in the admin."""

from django import forms
from django.contrib import admin, messages

from articles import tasks

from . import deliveries
from .models import Delivery, Endpoint
from .tasks import webhook_round


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=Endpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "active", "secret"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "active", "event_list"]

    @admin.display(description="Events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event",
        "article",
        "status",
        "attempts",
        "response_status",
        "error",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint", "article"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Redeliver the selected deliveries")
    def redeliver(self, request, queryset):
        count = deliveries.redeliver(queryset)
        tasks.enqueue(webhook_round)
        self.message_user(
            request, f"{count} delivery(ies) will be sent again.", messages.SUCCESS
        )
