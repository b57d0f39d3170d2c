"""Time related-link work for sampled articles (the shared harness's contract).

    python manage.py bench_related [--samples 100] [--seed 1] [--budget-s 60]

Prints {"articles": N, "methods": {name: {"samples", "median_ms", "p90_ms",
"max_ms"}}}. Methods:

  stored_read            what an article page pays: reading the stored links
  compute                scoring and storing one article's links (on write)
  taggit_similar_objects taggit's own `similar_objects()`, as a baseline
"""

import json
import random
import statistics
import time

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.related import SHOWN, refresh_related, related_for_page

METHODS = {
    "stored_read": related_for_page,
    "compute": refresh_related,
    "taggit_similar_objects": lambda article: article.tags.similar_objects()[:SHOWN],
}


def timings(values):
    if not values:
        return {"samples": 0}
    ms = sorted(v * 1000 for v in values)
    return {
        "samples": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p90_ms": round(ms[int(len(ms) * 0.9) - 1 if len(ms) > 1 else 0], 2),
        "max_ms": round(ms[-1], 2),
    }


class Command(BaseCommand):
    help = "Time related-link reading and computing for sampled articles."

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--budget-s", type=float, default=60.0)

    def handle(self, *, samples, seed, budget_s, **options):
        ids = list(
            Article.objects.published().order_by("pk").values_list("pk", flat=True)
        )
        chosen = random.Random(seed).sample(ids, min(samples, len(ids)))
        articles = list(Article.objects.filter(pk__in=chosen))
        result = {"articles": len(ids), "methods": {}}
        for name, method in METHODS.items():
            if articles:
                method(articles[0])  # warm the connection
            spent, deadline = [], time.perf_counter() + budget_s
            for article in articles:
                start = time.perf_counter()
                method(article)
                spent.append(time.perf_counter() - start)
                if time.perf_counter() > deadline:
                    break
            result["methods"][name] = timings(spent)
        self.stdout.write(json.dumps(result))
