"""Print the stored related links of sampled articles as JSON Lines.

    python manage.py bench_related_lists --sample sample.json [--k 5]

Reads {"articles": [uri, ...]} and prints {"method", "uri", "related": [uri,
...]} per article: "stored" is what the article page shows, and
"taggit_similar_objects" is taggit's own ranking, as a baseline.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.related import related_for_page

METHODS = {
    "stored": lambda article, k: related_for_page(article)[:k],
    "taggit_similar_objects": lambda article, k: article.tags.similar_objects()[:k],
}


def uris_of(articles):
    """The articles' source URIs, in order (page links load only card fields)."""
    uris = dict(
        Article.objects.filter(pk__in=[a.pk for a in articles]).values_list(
            "pk", "source_uri"
        )
    )
    return [uris[a.pk] for a in articles]


class Command(BaseCommand):
    help = "Print related-article lists for a sample of articles."

    def add_arguments(self, parser):
        parser.add_argument("--sample", required=True, type=Path)
        parser.add_argument("--k", type=int, default=5)

    def handle(self, *, sample, k, **options):
        uris = json.loads(sample.read_text())["articles"]
        articles = Article.objects.published().filter(source_uri__in=uris)
        for article in articles:
            for method, related in METHODS.items():
                line = {
                    "method": method,
                    "uri": article.source_uri,
                    "related": uris_of(related(article, k)),
                }
                self.stdout.write(json.dumps(line))
