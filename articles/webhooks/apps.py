from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "articles.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from articles import tasks

        from .tasks import wanted, webhook_round

        # Each scheduler round finds what happened and delivers what is due,
        # while any endpoint is registered.
        tasks.register_periodic(webhook_round, due=wanted)
