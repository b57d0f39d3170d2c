from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Signal receivers: every write to the newsroom's tables starts a new
        # content generation.
        from . import freshness  # noqa: F401
