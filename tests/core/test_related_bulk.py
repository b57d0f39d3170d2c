"""BulkRefresh (related links for many articles at once, after an import)
stores exactly what refresh_related stores for each article."""

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, RelatedLink
from articles.related import BulkRefresh, refresh_related
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def stored_links():
    return sorted(
        RelatedLink.objects.values_list(
            "article_id", "target_id", "kind", "position", "score", "reason"
        )
    )


@pytest.fixture
def world():
    rng = random.Random(7)
    sections = [make_section(name=name) for name in ("News", "Sport", "Culture")]
    vocabulary = ["Politics", "Economy", "Storm Agnes", "Wrencroft trial"] + [
        f"topic {i}" for i in range(12)
    ]
    now = timezone.now()
    articles = [
        make_article(
            section=rng.choice(sections),
            tags=rng.sample(vocabulary, rng.randint(0, 4)),
            published_at=now - timedelta(days=rng.randint(0, 400)),
            status=rng.choice([Article.Status.PUBLISHED] * 4 + [Article.Status.DRAFT]),
        )
        for _ in range(70)
    ]
    # An editor's pin and an exclusion stay; computed links skip both targets.
    RelatedLink.objects.create(
        article=articles[0], target=articles[1], kind=RelatedLink.Kind.PINNED
    )
    RelatedLink.objects.create(
        article=articles[2], target=articles[3], kind=RelatedLink.Kind.EXCLUDED
    )
    return articles


def test_bulk_refresh_stores_the_same_links_as_one_by_one(world):
    for article in world:
        refresh_related(article)
    one_by_one = stored_links()
    RelatedLink.objects.filter(kind=RelatedLink.Kind.COMPUTED).delete()
    refresh = BulkRefresh()
    for start in range(0, len(world), 25):  # chunks, as after an import
        refresh.refresh(world[start : start + 25])
    assert stored_links() == one_by_one
    assert any(kind == RelatedLink.Kind.COMPUTED for _, _, kind, *_ in one_by_one)


def test_bulk_refresh_replaces_earlier_computed_links(world):
    BulkRefresh().refresh(world)
    first = stored_links()
    BulkRefresh().refresh(world)
    assert stored_links() == first


def test_refresh_related_command_stores_the_same_links_as_one_by_one(world):
    for article in world:
        if article.status == Article.Status.PUBLISHED:
            refresh_related(article)
    one_by_one = stored_links()
    RelatedLink.objects.filter(kind=RelatedLink.Kind.COMPUTED).delete()
    call_command("refresh_related", chunk=20, verbosity=0)
    assert stored_links() == one_by_one


def test_an_article_with_many_tags_is_scored_on_all_of_them(world):
    names = [f"tag {i}" for i in range(40)]
    story = make_article(tags=names)
    twin = make_article(tags=names[30:])
    refresh_related(story)
    link = RelatedLink.objects.filter(article=story).order_by("position").first()
    assert link.target == twin
    shown = link.reason.split("; ")[0].removeprefix("shared tags: ").split(", ")
    assert len(shown) == 4 and set(shown) <= set(names[30:])
