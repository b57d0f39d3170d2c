from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "articles.ingest"
    label = "ingest"
    verbose_name = "Import and export"

    def ready(self):
        from articles import tasks

        from .tasks import poll_due_sources, sources_due

        # The scheduler polls each wire source when its interval has passed.
        tasks.register_periodic(poll_due_sources, due=sources_due)
