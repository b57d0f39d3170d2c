from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "articles.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from articles import tasks

        from .tasks import build_due_editions, editions_due

        # The scheduler builds and sends each daily edition once its hour came.
        tasks.register_periodic(build_due_editions, due=editions_due)
