from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "articles.delivery"
    label = "delivery"
    verbose_name = "Delivery"

    def ready(self):
        # Signal receivers: the page cache retires pages on every write.
        from . import page_cache  # noqa: F401
