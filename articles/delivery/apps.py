"""Delivery: the public page cache, conditional GET, surrogate keys and edge
purges."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "articles.delivery"
    label = "delivery"
    verbose_name = "Delivery"

    def ready(self):
        from django.core import checks

        from articles import freshness, tasks
        from articles.models import PendingWork

        from . import page_cache  # noqa: F401
        from .purgers import check_configuration
        from .render_ahead import retire
        from .retirements import announce
        from .tasks import CHUNK, purge_now, purge_pages, wanted

        checks.register(check_configuration)

        # Core records the purges a write owes; this app does them (retiring
        # and rendering again the origin's pages, purging the edge), while the
        # page cache or an edge cache is on.
        tasks.register(
            PendingWork.Kind.PURGE,
            purge_pages,
            chunk=CHUNK,
            finish=purge_now,
            wanted=wanted,
            urgent=True,
        )
        # Writes retire only the cached pages that show what they changed,
        # and every process hears of it (on Redis).
        freshness.retire_by_key(retire)
        freshness.announce_retirements(announce)
