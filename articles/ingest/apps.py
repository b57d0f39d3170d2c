from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "articles.ingest"
    label = "ingest"
    verbose_name = "Import and export"
