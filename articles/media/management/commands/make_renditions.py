"""Make the responsive renditions of pictures that have none yet.

Pictures saved through the admin or an import get theirs when saved; this
catches up pictures stored before, or with --all remakes every one. Safe to
re-run.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.media.renditions import make_renditions
from articles.models import Image
from articles.storage import storage_failed


class Command(BaseCommand):
    help = "Make responsive renditions (WebP and JPEG) of pictures; safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every one.")

    def handle(self, *args, **options):
        made = failed = 0
        for image in Image.objects.exclude(file="").iterator():
            if not options["all"] and image.made_renditions() is not None:
                continue
            try:
                manifest = make_renditions(image)
            except Exception as exc:
                if not storage_failed(exc):
                    raise
                raise CommandError(
                    f"Media storage failed ({exc}); {made} made so far. Run the "
                    "command again once it is back: it is safe to re-run."
                ) from exc
            if manifest and "error" in manifest:
                failed += 1
                self.stderr.write(f"{image.file.name}: {manifest['error']}")
            else:
                made += 1
        self.stdout.write(self.style.SUCCESS(f"{made} made, {failed} unreadable."))
