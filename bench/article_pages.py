"""Article pages as readers get them, to compare two commits byte for byte.

    NEWSROOM_PAGE_CACHE_SECONDS=0 python bench/article_pages.py OUT.json [--sample N]

Asks the site (Django's test client, the page cache off) for a seeded sample
of published stories and every story the sample should not miss (with
corrections, live coverage, several bylines or other roles, embeds, body
pictures, a date only, a dateline, a hero picture), the addresses that
should redirect (a wrong date, old addresses) or be missing, and the home
page; renders staff previews of a few unpublished stories; and writes each
one's status, Location and a hash of its HTML to OUT.json. Run it on one
commit, then another, against the same database, and compare the files.
The database is only read.
"""

import argparse
import hashlib
import json
import random
from pathlib import Path

import in_process  # noqa: F401  (sets Django up first)

# isort: split
from django.db.models import Count
from django.test import Client, RequestFactory

from articles.models import (
    Article,
    ArticleRedirect,
    Byline,
    Correction,
    LiveCoverage,
)
from articles.views import article_queryset, render_article

EACH_KIND = 30  # stories of each kind the sample should not miss


def story_ids(rng, sample):
    live = Article.objects.published()
    ids = list(live.values_list("pk", flat=True).order_by("pk"))
    chosen = set(rng.sample(ids, min(sample, len(ids))))
    kinds = [
        Correction.objects.values_list("article_id", flat=True),
        LiveCoverage.objects.values_list("article_id", flat=True),
        Byline.objects.exclude(role=Byline.Role.WRITER).values_list(
            "article_id", flat=True
        ),
        live.annotate(n=Count("bylines")).filter(n__gt=1).values_list("pk", flat=True),
        live.filter(body__contains='class="embed').values_list("pk", flat=True),
        live.filter(body__contains='<figure class="picture"').values_list(
            "pk", flat=True
        ),
        live.filter(published_date_only=True).values_list("pk", flat=True),
        live.exclude(dateline_place="").values_list("pk", flat=True),
        live.exclude(hero_image=None).values_list("pk", flat=True),
    ]
    for kind in kinds:
        chosen |= set(kind[:EACH_KIND])
    return chosen & set(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--sample", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    chosen = Article.objects.filter(
        pk__in=story_ids(random.Random(args.seed), args.sample)
    )
    stories = list(chosen.order_by("pk").only("slug", "published_at"))
    paths = [a.get_absolute_url() for a in stories]
    paths += [f"/2001/01/01/{a.slug}/" for a in stories[:15]]  # a wrong date
    paths += ["/2001/01/01/no-such-story/", "/"]
    paths += list(
        ArticleRedirect.objects.order_by("pk").values_list("old_path", flat=True)[:20]
    )
    client = Client()
    pages = {}
    for path in paths:
        response = client.get(path)
        pages[path] = [
            response.status_code,
            response.get("Location"),
            hashlib.sha1(response.content).hexdigest(),
        ]
    request = RequestFactory().get("/preview/")
    unpublished = article_queryset().exclude(pk__in=Article.objects.published())
    for article in unpublished.order_by("pk")[:10]:
        response = render_article(request, article, preview=True)
        pages[f"preview {article.pk}"] = [
            response.status_code,
            None,
            hashlib.sha1(response.content).hexdigest(),
        ]
    Path(args.out).write_text(json.dumps(pages, indent=1, sort_keys=True))
    print(json.dumps({"pages": len(pages), "stories": len(stories)}))


if __name__ == "__main__":
    main()
