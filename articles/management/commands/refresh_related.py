"""Recompute the stored related links of every published article.

    python manage.py refresh_related

Safe to re-run: editors' pins and exclusions are kept. Run it after a bulk
change (a large import refreshes the articles it touched by itself).
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from articles.related import refresh_related


class Command(BaseCommand):
    help = "Recompute stored related links for published articles."

    def handle(self, **options):
        articles = Article.objects.filter(status=Article.Status.PUBLISHED).only(
            "pk", "section_id", "published_at"
        )
        total = articles.count()
        quiet = options["verbosity"] == 0 or not self.stdout.isatty()
        for article in tqdm(
            articles.iterator(chunk_size=500), total=total, disable=quiet
        ):
            refresh_related(article)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Refreshed related links of {total} articles.")
            )
