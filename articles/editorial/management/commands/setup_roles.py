"""Create or update the Reporter, Editor and Admin groups (see docs/roles.md).

Safe to re-run: groups are matched by name and only gain missing permissions.
"""

from django.core.management.base import BaseCommand

from articles.editorial.workflow import ensure_roles


class Command(BaseCommand):
    help = "Create or update the editorial role groups. Safe to re-run."

    def handle(self, *args, **options):
        for role, count in ensure_roles().items():
            self.stdout.write(self.style.SUCCESS(f"{role}: {count} permissions"))
