from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "articles.media"
    label = "media"
    verbose_name = "Media"

    def ready(self):
        from articles import tasks
        from articles.models import PendingWork

        from . import expiry
        from .tasks import (
            CHUNK,
            make_image_renditions,
            renditions_of,
            withdraw_expired_pictures,
        )

        # Core records the renditions a stored picture needs; this app makes them.
        tasks.register(
            PendingWork.Kind.RENDITIONS,
            make_image_renditions,
            chunk=CHUNK,
            finish=renditions_of,
        )
        # Pictures whose rights expire are withdrawn on the scheduler's round.
        tasks.register_periodic(withdraw_expired_pictures, due=expiry.due)
