"""Print {"uri", "path"} JSON Lines for every live imported article.

    python manage.py bench_urlmap

Used by the shared benchmark's related-link quality stage to map the links on
article pages back to the corpus's ninjs uris.
"""

import json

from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Print the URL path of every live imported article, keyed by source uri."

    def handle(self, **options):
        live = (
            Article.objects.published()
            .exclude(source_uri=None)
            .only("slug", "published_at", "source_uri")
            .order_by("pk")
        )
        for article in live.iterator(chunk_size=2000):
            line = {"uri": article.source_uri, "path": article.get_absolute_url()}
            self.stdout.write(json.dumps(line))
