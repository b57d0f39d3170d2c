"""Recompute the stored related links of every published article.

    python manage.py refresh_related [--chunk 500]

Safe to re-run: editors' pins and exclusions are kept. Run it after a bulk
change. Task workers refresh the articles that writes and imports record
(docs/tasks.md); this first does, here and now, every piece of follow-up work
still pending (related links, renditions of pictures, search vectors), then
writes the words of every published headline and deck anew
(`articles.related_words`: the backfill of an archive written before they
were kept), then recomputes every published article's links. Set-based,
like the import: a few queries per chunk of articles, not per article, and
cached pages are retired once at the end.
"""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles import related_words, tasks
from articles.freshness import bulk_writes
from articles.models import Article
from articles.related import CHUNK_FIELDS, BulkRefresh


class Command(BaseCommand):
    help = "Recompute stored related links for published articles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk", type=int, default=500, help="Articles per set of queries."
        )

    def handle(self, *, chunk, **options):
        start = time.perf_counter()
        left = tasks.finish_pending_work(chunk=chunk)
        related_words.rebuild()
        ids = list(
            Article.objects.filter(status=Article.Status.PUBLISHED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        quiet = options["verbosity"] == 0 or not self.stdout.isatty()
        refresh = BulkRefresh()
        with bulk_writes(), tqdm(total=len(ids), disable=quiet) as bar:
            for i in range(0, len(ids), chunk):
                articles = Article.objects.filter(pk__in=ids[i : i + chunk]).only(
                    *CHUNK_FIELDS
                )
                refresh.refresh(articles)
                bar.update(len(ids[i : i + chunk]))
        if options["verbosity"]:
            if left.related or left.renditions or left.vectors:
                self.stdout.write(
                    "Finished what an interrupted import left: related links of "
                    f"{left.related} articles, renditions of {left.renditions} "
                    f"pictures, {left.vectors} search vectors."
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Refreshed related links of {len(ids)} articles"
                    f" in {time.perf_counter() - start:.1f} s."
                )
            )
