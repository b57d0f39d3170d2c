from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "articles.media"
    label = "media"
    verbose_name = "Media"

    def ready(self):
        from articles import followup

        # Its signal receiver: saved pictures get their renditions.
        from . import renditions

        followup.register_renditions(renditions.make_missing)
