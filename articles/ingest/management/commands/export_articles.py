"""Export articles as IPTC ninjs 2.1, one JSON object per line.

    python manage.py export_articles [--since DATE] > articles.jsonl

The output imports back with import_articles (the identity is the article's
source URI, or a newsroom URN for articles written here).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch, Q

from articles.ingest.parsers.fields import parse_date
from articles.models import Article, Byline, Correction
from articles.ninjs import article_to_ninjs


class Command(BaseCommand):
    help = "Write articles as ninjs 2.1 JSON Lines to standard output."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="Only articles changed at or after this date/time (ISO 8601).",
        )

    def handle(self, *args, **options):
        articles = (
            Article.objects.select_related("section", "hero_image")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                "tags",
                "corrections",
            )
            .order_by("pk")
        )
        if options["since"]:
            try:
                since = parse_date(options["since"])
            except ValueError as exc:
                raise CommandError(f"--since: {exc}") from exc
            corrected = Correction.objects.filter(created_at__gte=since)
            articles = articles.filter(
                Q(updated_at__gte=since)
                | Q(pk__in=corrected.values("article_id"))  # moves no updated_at
            )
        count = 0
        for article in articles.iterator(chunk_size=500):
            self.stdout.write(json.dumps(article_to_ninjs(article), ensure_ascii=False))
            count += 1
        if options["verbosity"] >= 2:
            self.stderr.write(f"{count} articles exported.")
