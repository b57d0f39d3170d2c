from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "articles.media"
    label = "media"
    verbose_name = "Media"

    def ready(self):
        # Signal receiver: saved pictures get their renditions.
        from . import renditions  # noqa: F401
