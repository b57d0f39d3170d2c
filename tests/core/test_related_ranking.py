"""The ranking of computed links: its score and reason as the reader's page
and the desk see them, and, on PostgreSQL, a chunk ranked by one statement
whatever its size."""

import math
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import bulk_rows, related_words
from articles.models import Article, RelatedLink, RelatedWord
from articles.related import (
    RANKED_TABLES,
    SAME_SECTION_BONUS,
    TEXT_SHARE,
    TIME_SCALE_DAYS,
    BulkRefresh,
    refresh_related,
)
from articles.related_text import terms_of
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

on_postgres = connection.vendor == "postgresql"


@pytest.fixture
def news():
    news = make_section(name="News")
    now = timezone.now()
    for i in range(80):  # enough headlines for a word to be told rare
        make_article(
            section=news,
            headline=f"Council meeting on the budget and local schools, part {i}",
            deck="Residents said the plan would cost more than the council said.",
            tags=["Council", f"background {i}"],
            published_at=now - timedelta(days=i % 30, hours=1),
        )
    return news


def test_a_links_score_and_reason_say_what_it_shares(news):
    when = timezone.now() - timedelta(days=1)
    story = make_article(
        section=news,
        headline="Wrencroft founder tells jury he never hid the losses",
        deck="Residents said the plan would cost more than the council said.",
        tags=["Wrencroft trial", "Council"],
        published_at=when,
    )
    partner = make_article(
        section=news,
        headline="Wrencroft pensioners wait for the verdict",
        deck="Residents said the plan would cost more than the council said.",
        tags=["Wrencroft trial"],
        published_at=when - timedelta(days=3),
    )
    other_desk = make_article(
        section=make_section(name="Business"),
        headline="Wrencroft shares fall",
        published_at=when - timedelta(days=40),
    )
    refresh = BulkRefresh()
    refresh.refresh([story])

    links = {
        link.target_id: link
        for link in RelatedLink.objects.filter(
            article=story, kind=RelatedLink.Kind.COMPUTED
        )
    }
    tag_idf = next(
        idf
        for name, idf in refresh.weights([story.pk])[story.pk].values()
        if name == "Wrencroft trial"
    )
    word_idf = terms_of(story, refresh.term_counts)["wrencroft"]
    link = links[partner.pk]
    assert link.position == 0
    assert link.reason == (
        "shared tags: Wrencroft trial; shared words: wrencroft; same section;"
        " 3 days apart"
    )
    closeness = 0.4 + 0.6 * math.exp(-3 / TIME_SCALE_DAYS)
    score = (tag_idf + TEXT_SHARE * word_idf) * SAME_SECTION_BONUS * closeness
    assert link.score == pytest.approx(score, abs=1e-4)
    if on_postgres:  # found by its word alone, in another section
        found = links[other_desk.pk]
        assert found.reason == "shared words: wrencroft; 40 days apart"
        closeness = 0.4 + 0.6 * math.exp(-40 / TIME_SCALE_DAYS)
        assert found.score == pytest.approx(TEXT_SHARE * word_idf * closeness, 1e-4)


@pytest.mark.skipif(not on_postgres, reason="SQLite ranks on the client")
def test_a_chunk_is_ranked_in_queries_that_do_not_grow_with_it(news, monkeypatch):
    # Whether a table grew enough since it was analysed to be analysed again
    # depends on what earlier tests wrote (statistics outlive a rollback):
    # not this test's question, but the one after an import's below.
    monkeypatch.setattr(bulk_rows, "GROWN_BY", 1e9)
    monkeypatch.setattr(bulk_rows, "GROWN_PAGES", 1e9)
    stories = []
    for i in range(30):
        thin = i % 3 == 0  # a tag of its own: looks for stories by its words
        stories.append(
            make_article(
                section=news,
                headline=f"Harbour {i} ferry strike talks resume",
                tags=[f"Strike {i}"] if thin else ["Ferry strike", "Harbour"],
            )
        )
    RelatedLink.objects.create(
        article=stories[1], target=stories[2], kind=RelatedLink.Kind.PINNED
    )
    RelatedLink.objects.create(
        article=stories[4], target=stories[5], kind=RelatedLink.Kind.EXCLUDED
    )
    refresh = BulkRefresh()
    refresh.refresh(stories)  # counts every tag's uses once

    def queries(articles):
        with CaptureQueriesContext(connection) as context:
            refresh.refresh(articles)
        return len(context)

    # Whether a table grew since it was analysed; the tags; savepoint, the
    # delete, the ranking, the insert, release.
    assert queries(stories[:3]) == queries(stories) == 7
    chosen = RelatedLink.objects.filter(
        kind=RelatedLink.Kind.COMPUTED, article__in=[stories[1], stories[4]]
    ).values_list("article_id", "target_id")
    assert (stories[1].pk, stories[2].pk) not in chosen
    assert (stories[4].pk, stories[5].pk) not in chosen
    assert RelatedLink.objects.filter(article=stories[1]).count() > 1


def test_drafts_found_by_words_are_never_linked(news):
    story = make_article(
        section=news, headline="Quillington mine inquiry opens", tags=["Mine 1"]
    )
    draft = make_article(
        section=news,
        headline="Quillington mine inquiry: the findings",
        status=Article.Status.DRAFT,
    )
    refresh_related(story)
    assert not RelatedLink.objects.filter(article=story, target=draft).exists()


@pytest.mark.skipif(not on_postgres, reason="the planner's statistics: PostgreSQL")
def test_a_refresh_after_an_import_plans_on_the_tables_as_they_are_now(news):
    # An import fills the words table in bulk; the planner's statistics of it
    # are those of the empty table (autovacuum has not looked yet, or is off).
    story = Article.objects.first()
    rows = [(f"word{i}", story.published_at, story.pk) for i in range(5000)]
    bulk_rows.insert_values(RelatedWord, related_words.FIELDS, rows)

    BulkRefresh().refresh(Article.objects.all()[:2])  # a chunk of the follow-up

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [RelatedWord._meta.db_table],
        )
        [(counted,)] = cursor.fetchall()
    assert counted >= 5000  # analysed: the ranking is planned on these rows
    # Until the tables grow again, a refresh does not analyse them again.
    assert bulk_rows.analyze_grown(RANKED_TABLES) == []


def one_article_queries(article, refresh):
    with CaptureQueriesContext(connection) as context:
        refresh.refresh([article])
    return len(context)


def test_one_articles_refresh_is_the_same_queries_whatever_the_article(news):
    rich = make_article(
        section=news,
        headline="Harbour ferry strike talks resume",
        tags=["Ferry strike", "Harbour", "Council", *[f"Port {i}" for i in range(8)]],
    )
    thin = make_article(section=news, headline="Quillington mine inquiry opens")
    untagged_draft = make_article(section=news, status=Article.Status.DRAFT)
    refresh = BulkRefresh()
    for article in (rich, thin, untagged_draft):
        refresh.refresh([article])  # counts its tags' uses once
    # The tags; savepoint, the delete (with, on PostgreSQL, the ranking's
    # settings), the ranking, the insert, release. SQLite ranks on the client,
    # in queries that depend on the article: the candidates (of an article
    # with tags), the editors' choices, and, the tags being thin here, the
    # stories of its section nearest in time.
    counts = [one_article_queries(a, refresh) for a in (rich, thin, untagged_draft)]
    assert counts == ([6, 6, 6] if on_postgres else [8, 7, 7])


@pytest.mark.skipif(not on_postgres, reason="prepared statements: PostgreSQL")
def test_one_articles_ranking_is_planned_once_per_connection(news):
    stories = [
        make_article(
            section=news,
            headline=f"Harbour {i} ferry strike talks resume",
            tags=["Ferry strike", f"Harbour {i % 2}"],
        )
        for i in range(8)
    ]
    refresh = BulkRefresh()
    refresh.refresh(stories)  # a chunk: planned for its articles
    chunked = stored_links()
    for story in stories:
        refresh.refresh([story])
    # One article at a time, the plan made for the first served every one
    # (PostgreSQL would otherwise plan each anew: it cost more than running
    # it), and the links are those the chunk's own plan chose.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%WITH chunk AS%"],
        )
        assert cursor.fetchall() == [(len(stories), 1)]
    assert stored_links() == chunked


def stored_links():
    return sorted(
        RelatedLink.objects.values_list(
            "article_id", "target_id", "position", "score", "reason"
        )
    )
