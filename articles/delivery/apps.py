"""Delivery: the public page cache, conditional GET, surrogate keys and edge
purges."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "articles.delivery"
    label = "delivery"
    verbose_name = "Delivery"

    def ready(self):
        # Signal receivers: the page cache retires pages on every write.
        from django.core import checks

        from articles import tasks
        from articles.models import PendingWork

        from . import page_cache  # noqa: F401
        from .purgers import check_configuration
        from .tasks import CHUNK, purge_of, purge_pages, wanted

        checks.register(check_configuration)

        # Core records the purges a write owes; this app does them, while an
        # edge cache is configured.
        tasks.register(
            PendingWork.Kind.PURGE,
            purge_pages,
            chunk=CHUNK,
            finish=purge_of,
            wanted=wanted,
            urgent=True,
        )
