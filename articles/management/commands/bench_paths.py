"""Map a benchmark plan to this site's URL paths (the shared harness's contract).

    python manage.py bench_paths --plan plan.json --out DIR

Reads {"articles": [uri, ...], "tags": [{"name", "page"}, ...]}, writes
DIR/articles.paths, DIR/tags.paths and DIR/home.paths, one path a line, and
prints a JSON summary with the number of items it could not map.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.urls import reverse

from articles.models import Article, Tag, tag_key


class Command(BaseCommand):
    help = "Write URL path lists for a benchmark plan."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *, plan, out, **options):
        plan = json.loads(plan.read_text())
        out.mkdir(parents=True, exist_ok=True)
        live = Article.objects.published().filter(source_uri__in=plan["articles"])
        by_uri = {
            a.source_uri: a.get_absolute_url()
            for a in live.only("slug", "published_at", "source_uri")
        }
        articles = [by_uri[uri] for uri in plan["articles"] if uri in by_uri]
        slugs = dict(
            Tag.objects.filter(
                key__in={tag_key(t["name"]) for t in plan["tags"]}
            ).values_list("key", "slug")
        )
        tags = []
        for entry in plan["tags"]:
            slug = slugs.get(tag_key(entry["name"]))
            if slug:
                page = int(entry.get("page", 1))
                path = reverse("articles:tag", args=[slug])
                tags.append(path + (f"?page={page}" if page > 1 else ""))
        (out / "articles.paths").write_text("\n".join(articles) + "\n")
        (out / "tags.paths").write_text("\n".join(tags) + "\n")
        (out / "home.paths").write_text(reverse("articles:home") + "\n")
        summary = {
            "articles": len(articles),
            "missing_articles": len(plan["articles"]) - len(articles),
            "tags": len(tags),
            "missing_tags": len(plan["tags"]) - len(tags),
        }
        self.stdout.write(json.dumps(summary))
