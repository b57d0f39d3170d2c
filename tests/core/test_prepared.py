"""A query compiled once gives what its queryset gives, for any values."""

from datetime import datetime, timedelta

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.models import Article, Correction
from articles.prepared import PreparedQuery
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

IN_SECTION = PreparedQuery(
    Article,
    lambda section, now: (
        Article.objects.select_related("section", "hero_image")
        .published(now=now)
        .filter(section=section)
        .only("headline", "published_at", "section__name", "hero_image")
    ),
    section=int,
    now=datetime,
)


def test_it_gives_the_querysets_rows_with_their_joins_for_each_call():
    news, sport = make_section(name="News"), make_section(name="Sport")
    first = make_article(section=news)
    second = make_article(section=news)
    match = make_article(section=sport)
    make_article(section=news, status=Article.Status.DRAFT)
    now = timezone.now()

    found = IN_SECTION(section=news.pk, now=now)

    expected = list(IN_SECTION.build(section=news.pk, now=now))
    assert found == expected
    assert {a.pk for a in found} == {first.pk, second.pk}
    assert [a.section.name for a in found] == ["News", "News"]
    assert [a.hero_image for a in found] == [None, None]
    assert [a.pk for a in IN_SECTION(section=sport.pk, now=now)] == [match.pk]
    # The moment is each call's: before the stories went out, none shows.
    earlier = min(a.published_at for a in expected) - timedelta(seconds=1)
    assert IN_SECTION(section=news.pk, now=earlier) == []


def test_annotations_are_set_as_the_queryset_sets_them():
    corrected, plain = make_article(), make_article()
    Correction.objects.create(article=corrected, text="The figure was wrong.")
    with_corrections = PreparedQuery(
        Article,
        lambda pk: Article.objects.filter(pk=pk).annotate(
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk")))
        ),
        pk=int,
    )
    assert [a.has_corrections for a in with_corrections(pk=corrected.pk)] == [True]
    assert [a.has_corrections for a in with_corrections(pk=plain.pk)] == [False]


def test_a_value_the_sql_does_not_take_is_refused():
    # Two values of one type cannot be told apart in the compiled parameters.
    both = PreparedQuery(
        Article,
        lambda low, high: Article.objects.filter(pk__gte=low, version__lte=high),
        low=int,
        high=int,
    )
    with pytest.raises(ValueError):
        both(low=1, high=2)
