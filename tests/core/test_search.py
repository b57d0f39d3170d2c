import importlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.ingest import vectors
from articles.models import Article, ArticleTag, Tag
from articles.search import (
    HOLDS_PAIRS,
    SEARCH_CONFIG,
    WINDOWS,
    compute_missing,
    find_articles,
    search_articles,
    simple_search,
)
from articles.search_results import mark_words, result_cards, snippet
from tests.factories import make_article

pytestmark = pytest.mark.django_db

word_pairs = importlib.import_module("articles.migrations.0017_search_word_pairs")

DAY = timedelta(days=1)

on_postgres = connection.vendor == "postgresql"
postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not on_postgres, reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
    ),
]


def headlines(query):
    return [a.headline for a in search_articles(query)]


def page(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def analyze():
    """Gather the article table's statistics, as autovacuum does in time."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")


def article_scans(plan):
    """How many scans of the article table a plan (EXPLAIN ANALYZE) ran."""
    ran = plan.get("Relation Name") == "articles_article" and plan["Actual Loops"]
    return bool(ran) + sum(article_scans(child) for child in plan.get("Plans", []))


class TestEveryDatabase:
    def test_finds_published_articles_only_in_results_and_counts(self, client):
        make_article(headline="Harbour reopens", body="<p>Ships.</p>")
        for status in (Article.Status.DRAFT, Article.Status.REVIEW):
            make_article(headline=f"Harbour {status}", status=status)
        make_article(
            headline="Harbour scheduled",
            published_at=timezone.now() + timedelta(hours=1),
        )
        make_article(headline="Harbour withdrawn", status=Article.Status.WITHDRAWN)
        assert headlines("harbour") == ["Harbour reopens"]
        html = page(client, "harbour")
        assert "1 result for" in html
        assert "Harbour reopens" in html and "scheduled" not in html

    def test_results_are_paginated(self, client):
        for i in range(25):
            make_article(headline=f"Budget story {i}")
        first, second = page(client, "budget"), page(client, "budget", page=2)
        assert "25 results" in first
        assert first.count("Budget story") == 20 and second.count("Budget story") == 5
        assert client.get("/search/", {"q": "budget", "page": 3}).status_code == 404

    def test_snippets_highlight_matches_and_escape_everything_else(self, client):
        make_article(
            headline="Council meets",
            body="<p>The mayor said &lt;script&gt;alert(1)&lt;/script&gt; "
            "on the harbour budget.</p>",
        )
        html = page(client, "harbour")
        assert "<mark>harbour</mark>" in html
        assert "<script>alert(1)" not in html

    def test_snippets_keep_words_whole_and_paragraphs_apart(self, client):
        make_article(
            headline="Crossing",
            body='<p>The ferry passes the <a href="/x">Harbour Bridge</a>.</p>'
            "<h2>Timetable</h2><p>Ferries run <em>every</em> hour.</p>",
        )
        text = re.sub(r"\s+", " ", page(client, "ferry"))  # as a browser shows it
        assert (
            "Harbour Bridge. Timetable" in text
        )  # not "Bridge ." nor "Bridge.Timetable"
        assert "run every hour" in text

    def test_a_kept_card_shows_each_querys_own_snippet(self, client):
        make_article(
            headline="Council meets",
            body="<p>The harbour budget was agreed.</p>",
        )
        for query, other in [
            ("harbour", "budget"),
            ("budget", "harbour"),
            ("harbour", "budget"),
        ]:
            html = page(client, query)
            assert f"<mark>{query}</mark>" in html, query
            assert f"<mark>{other}</mark>" not in html, query

    def test_an_articles_text_cannot_take_the_snippets_place(self, client):
        make_article(
            headline="The <snippet-slot> story",
            deck="A <snippet-slot> deck",
            body="<p>Harbour news.</p>",
        )
        html = page(client, "harbour")
        assert "The &lt;snippet-slot&gt; story" in html
        assert html.count("<mark>Harbour</mark> news") == 1

    @pytest.mark.parametrize(
        "q",
        [
            "' OR 1=1 --",
            "%_",
            "<script>alert(1)</script>",
            "x" * 100_000,
            "a & !( :*",
            '"unbalanced',
            "-",
            "or",
            "\\",
        ],
    )
    def test_hostile_queries_give_a_normal_page(self, client, q):
        make_article(headline="Harbour reopens")
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()

    def test_query_count_is_constant(self, client, django_assert_max_num_queries):
        for i in range(12):
            make_article(headline=f"Storm {i}", tags=["Weather", f"t{i}"])
        client.get("/search/?q=storm")  # navigation cache
        with django_assert_max_num_queries(4):
            client.get("/search/?q=storm")


class TestSimpleFallback:
    """What SQLite uses: every word, anywhere, newest first."""

    def test_every_word_must_match(self):
        make_article(headline="Harbour budget", body="<p>Vote.</p>")
        make_article(headline="Harbour only")
        found = [a.headline for a in simple_search("harbour budget")]
        assert found == ["Harbour budget"]

    def test_wildcards_are_literal(self):
        make_article(headline="Plain headline")
        assert list(simple_search("%")) == []
        assert list(simple_search("_")) == []

    def test_snippet_is_cut_around_the_first_match(self):
        text = " ".join(f"word{i}" for i in range(100)) + " harbour " + "end " * 50
        snippet = mark_words(text, "Harbour")
        assert snippet.startswith("… ") and snippet.endswith(" …")
        assert "\ue000harbour\ue001" in snippet

    def test_snippet_window_holds_a_match_inside_a_word(self):
        text = " ".join(f"word{i}" for i in range(100)) + " Fishmarkets " + "end " * 50
        words = mark_words(text, "market").split()
        assert words[0] == "…" and words[1] == "word90"
        assert words[11] == "Fish\ue000market\ue001s"

    def test_snippets_on_fallback_results(self):
        article = make_article(body="<p>Fish &amp; <b>chips</b> by the harbour.</p>")
        text = "Fish &amp; chips by the <mark>harbour</mark>."
        assert snippet(article.body, "harbour") == text


class TestFullText:
    pytestmark = postgres

    def test_headline_outranks_deck_outranks_body(self):
        when = timezone.now() - timedelta(days=1)
        make_article(headline="Other", body="<p>A ferry story.</p>", published_at=when)
        make_article(headline="Ferry news", published_at=when)
        make_article(headline="Other too", deck="About the ferry.", published_at=when)
        assert headlines("ferry") == ["Ferry news", "Other too", "Other"]

    def test_tags_are_searched(self):
        make_article(headline="Council meets", tags=["Ferry services"])
        assert headlines("ferry") == ["Council meets"]

    def test_words_are_stemmed(self):
        make_article(headline="Council voted on Tuesday")
        assert headlines("votes") == ["Council voted on Tuesday"]

    def test_websearch_syntax(self):
        make_article(headline="Harbour budget approved")
        make_article(headline="Budget for the harbour rejected")
        make_article(headline="School budget")
        assert set(headlines('"harbour budget"')) == {"Harbour budget approved"}
        assert set(headlines("budget -harbour")) == {"School budget"}
        assert len(headlines("school or approved")) == 2

    def test_recency_breaks_ties_and_blends_with_relevance(self):
        now = timezone.now()
        make_article(headline="Flood warning", published_at=now - timedelta(days=400))
        make_article(headline="Flood warning", published_at=now - timedelta(hours=2))
        old, new = search_articles("flood")
        assert old.published_at > new.published_at

    def test_a_common_query_ranks_only_the_newest_matches(self, monkeypatch):
        monkeypatch.setattr("articles.search.CANDIDATES", 3)
        now = timezone.now()
        for days in range(5):
            make_article(
                headline=f"Harbour day {days}",
                published_at=now - timedelta(days=days + 1),
            )
        make_article(headline="Harbour draft", status=Article.Status.DRAFT)
        found = headlines("harbour")
        assert sorted(found) == ["Harbour day 0", "Harbour day 1", "Harbour day 2"]
        assert len(search_articles("harbour")) == 3

    @pytest.mark.parametrize("rare", [False, True])
    def test_the_newest_matches_are_found_across_the_windows(self, monkeypatch, rare):
        # Matches in every window back from the newest article, one exactly on
        # each boundary (found once, in the newer window) and one older than
        # the widest window; and a newer article that does not match. The
        # same whether the windows are searched or, the word being rare by
        # the table's statistics, the whole archive at once.
        newest = timezone.now() - timedelta(days=2)
        make_article(headline="Unrelated", published_at=newest)
        bounds = [window.days for window in WINDOWS]
        ages = sorted({0, 1, *bounds, *(days + 1 for days in bounds), 3000})
        for days in ages:
            make_article(
                headline=f"Harbour {days}", published_at=newest - timedelta(days=days)
            )
        make_article(headline="Harbour draft", status=Article.Status.DRAFT)
        make_article(headline="Harbour soon", published_at=timezone.now() + DAY)
        wanted = [f"Harbour {days}" for days in ages]
        analyze()
        monkeypatch.setattr("articles.search.FEW", 1000 if rare else 0)
        for candidates in [*range(1, len(ages) + 1), 50]:
            monkeypatch.setattr("articles.search.CANDIDATES", candidates)
            found = headlines("harbour")
            assert sorted(found) == sorted(wanted[:candidates]), candidates
            assert len(search_articles("harbour")) == min(candidates, len(ages))

    def test_rare_middle_and_common_words_in_one_archive(self, monkeypatch):
        monkeypatch.setattr("articles.search.CANDIDATES", 4)
        newest = timezone.now() - timedelta(hours=1)

        def headline(i):
            cricket = " with cricket" if i % 3 == 0 else ""
            return f"Market report {i}{cricket}" + (" and a ferry" if i == 11 else "")

        for i in range(12):
            make_article(
                headline=headline(i), published_at=newest - timedelta(days=40 * i)
            )
        assert sorted(headlines("market")) == [headline(i) for i in range(4)]
        assert sorted(headlines("cricket")) == [headline(i) for i in (0, 3, 6, 9)]
        assert headlines("ferry") == [headline(11)]
        assert headlines('"report 11"') == [headline(11)]
        assert headlines("cricket -market") == []
        assert sorted(headlines("report -cricket")) == [
            headline(i) for i in (1, 2, 4, 5)
        ]

    def test_query_count_does_not_grow_with_the_windows(self, client):
        newest = timezone.now() - timedelta(hours=1)
        for days in (0, 10, 50, 200, 700):
            make_article(
                headline=f"Storm {days}", published_at=newest - timedelta(days=days)
            )
        client.get("/search/?q=storm")  # navigation cache
        with CaptureQueriesContext(connection) as common:
            assert "5 results" in page(client, "storm")
        with CaptureQueriesContext(connection) as rare:
            assert "1 result " in page(client, "700")
        assert len(common) == len(rare) <= 4

    def test_a_rare_word_is_looked_for_in_one_pass(self):
        # By the table's statistics "storm" is in a handful of articles: one
        # scan of the articles finds them all (and one those whose vector is
        # pending), where the windows would take one or two per window, and
        # more for the newest article's date; one more reads the matches
        # found to rank them.
        newest = timezone.now() - timedelta(hours=1)
        for days in (0, 10, 50, 200, 700):
            make_article(
                headline=f"Storm {days}", published_at=newest - timedelta(days=days)
            )
        make_article(headline="Calm", published_at=newest)
        analyze()
        with CaptureQueriesContext(connection) as captured:
            assert len(headlines("storm")) == 5
        (sql,) = [q["sql"] for q in captured if "UNION ALL" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            ((plan,),) = cursor.fetchall()
        assert article_scans(plan[0]["Plan"]) <= 3

    def test_a_phrase_keeps_its_words_side_by_side_and_in_order(self):
        make_article(headline="Police said the bridge is safe")
        make_article(headline="Critics said police were slow")
        make_article(headline="Police officers said nothing")
        make_article(headline="Quiet night", body="<p>Ask the police. Said once.</p>")
        make_article(headline="Police said in a draft", status=Article.Status.DRAFT)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [vectors.SETTING])
        make_article(headline="Police said so")  # its vector computed later
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [vectors.SETTING])
        said = {"Police said the bridge is safe", "Quiet night", "Police said so"}
        apart = {"Critics said police were slow", "Police officers said nothing"}
        for vector in ("computed on the fly", "stored"):
            assert set(headlines('"police said"')) == said, vector
            assert headlines('"said police"') == ["Critics said police were slow"]
            assert set(headlines("police said")) == said | apart
            assert set(headlines('"said police" or "police said"')) == said | {
                "Critics said police were slow"
            }
            assert set(headlines('police -"police said"')) == apart
            with connection.cursor() as cursor:
                assert compute_missing(cursor) == (vector == "computed on the fly")
        edited = Article.objects.get(headline="Police said the bridge is safe")
        edited.headline = "Police now said the bridge is safe"
        edited.save()
        assert set(headlines('"police said"')) == {"Quiet night", "Police said so"}

    def test_a_phrase_of_common_words_is_found_through_the_index(self):
        # Every article holds both words, three of them side by side: the
        # GIN index finds those three, where by the words alone it found all
        # of them and the phrase was tested on each.
        for i in range(40):
            make_article(headline=f"Said the mayor, police {i}")
        for i in range(3):
            make_article(headline=f"Police said {i}")
        analyze()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM articles_article "
                "WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s) "
                f"AND {HOLDS_PAIRS}",
                [SEARCH_CONFIG, '"police said"'] * 3,
            )
            ((plan,),) = cursor.fetchall()
        heap = plan[0]["Plan"]
        assert "article_search_pairs_idx" in str(heap["Plans"])
        assert heap["Actual Rows"] == 3
        assert heap["Rows Removed by Index Recheck"] == 0
        assert heap.get("Rows Removed by Filter", 0) == 0
        assert len(headlines('"police said"')) == 3

    def test_stored_vectors_get_their_pairs_on_upgrade(self):
        make_article(headline="Police said the bridge is safe")
        with connection.cursor() as cursor:
            # As written before the pairs (and their trigger).
            cursor.execute("UPDATE articles_article SET search_pairs = NULL")
            assert headlines('"police said"') == []
            cursor.execute(word_pairs.FILL)
        assert headlines('"police said"') == ["Police said the bridge is safe"]

    def test_a_capped_result_list_says_so(self, client, monkeypatch):
        monkeypatch.setattr("articles.search.CANDIDATES", 2)
        monkeypatch.setattr("articles.views.CANDIDATES", 2)
        for _ in range(3):
            make_article(headline="Harbour news")
        assert "The newest 2 results for “harbour”" in page(client, "harbour")
        monkeypatch.setattr("articles.search.CANDIDATES", 5)
        monkeypatch.setattr("articles.views.CANDIDATES", 5)
        assert "3 results for “harbour”" in page(client, "harbour")

    def test_vector_follows_every_write(self):
        article = make_article(headline="Alpha story", tags=["Bravo"])
        article.headline = "Charlie story"
        article.save()
        assert headlines("alpha") == [] and headlines("charlie") == ["Charlie story"]
        article.tags.add("Delta")
        article.tags.remove("Bravo")
        assert headlines("delta") == ["Charlie story"] and headlines("bravo") == []
        Tag.objects.filter(name="Delta").update(name="Echo Base")
        Tag.objects.get(name="Echo Base").save()
        assert headlines("echo") == ["Charlie story"]
        assert headlines('"echo base"') == ["Charlie story"]  # a pair from a tag
        Article.objects.filter(pk=article.pk).update(deck="Foxtrot")
        assert headlines("foxtrot") == ["Charlie story"]

    def test_a_tag_link_updated_to_another_tag_moves_the_vector_a_time_does_not(
        self,
    ):
        article = make_article(headline="Harbour story", tags=["Golf"])
        make_article(headline="Other story", tags=["Tennis"])
        tennis = Tag.objects.get(name="Tennis")
        ArticleTag.objects.filter(content_object=article).update(tag=tennis)
        assert headlines("golf") == []
        assert sorted(headlines("tennis")) == ["Harbour story", "Other story"]
        # The publication time kept on the links: no vector is recomputed.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET search_vector = NULL")
        ArticleTag.objects.update(published_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM articles_article WHERE search_vector IS NULL"
            )
            assert cursor.fetchone() == (2,)

    def test_a_tag_renamed_by_a_deferring_import_leaves_its_vectors_to_the_sweeper(
        self,
    ):
        article = make_article(headline="Harbour story", tags=["golf"])
        make_article(headline="Other story", tags=["tennis"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [vectors.SETTING])
        Tag.objects.filter(name="golf").update(name="Golfing")
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [vectors.SETTING])
            cursor.execute(
                "SELECT id FROM articles_article WHERE search_vector IS NULL"
            )
            assert cursor.fetchall() == [(article.pk,)]
        # Found meanwhile by its new tag name, and by its vector once swept.
        assert headlines("golfing") == ["Harbour story"]
        with connection.cursor() as cursor:
            assert compute_missing(cursor) == 1
        assert headlines("golfing") == ["Harbour story"]
        assert headlines("tennis") == ["Other story"]

    def test_an_import_may_defer_vectors_and_search_still_finds_them(self):
        make_article(headline="Golf course opens")
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [vectors.SETTING])
        deferred = make_article(headline="Golf club closes", deck="Kilo")
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [vectors.SETTING])
            cursor.execute(
                "SELECT search_vector IS NULL FROM articles_article WHERE id = %s",
                [deferred.pk],
            )
            assert cursor.fetchone() == (True,)
        # Until its vector is computed it is matched on one computed on the fly.
        assert set(headlines("golf")) == {"Golf course opens", "Golf club closes"}
        assert headlines("kilo") == ["Golf club closes"]
        with connection.cursor() as cursor:
            assert compute_missing(cursor) == 1
            cursor.execute(
                "SELECT count(*) FROM articles_article WHERE search_vector IS NULL"
            )
            assert cursor.fetchone() == (0,)
        assert headlines("kilo") == ["Golf club closes"]
        # Other writers still compute the vector as they write.
        deferred.headline = "Golf club reopens"
        deferred.save()
        assert headlines("reopens") == ["Golf club reopens"]

    def test_snippet_comes_from_postgres_and_is_escaped(self):
        make_article(
            headline="Council",
            body="<p>Before &lt;b&gt;the&lt;/b&gt; vote on the harbour money.</p>",
        )
        ((_, text),) = result_cards(find_articles("harbour")[0], "harbour")
        assert "<mark>harbour</mark>" in text
        assert "<b>" not in text and "&lt;b&gt;" in text

    def test_a_snippet_finds_words_far_into_a_long_body(self, client):
        filler = "<p>" + "The committee met again on Tuesday. " * 80 + "</p>"
        make_article(headline="Early", body="<p>The harbour opened.</p>" + filler)
        make_article(headline="Late", body=filler + "<p>Then the harbour closed.</p>")
        html = page(client, "harbour")
        assert "<mark>harbour</mark> opened." in html
        assert "Then the <mark>harbour</mark> closed." in html

    def test_the_vector_has_a_gin_index(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_idx'"
            )
            (definition,) = cursor.fetchone()
        assert "gin" in definition.lower() and "search_vector" in definition

    def test_word_pairs_have_a_gin_index_without_a_pending_list(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'article_search_pairs_idx'"
            )
            (definition,) = cursor.fetchone()
        assert "gin (search_pairs)" in definition.lower()
        assert "fastupdate=off" in definition

    def test_pending_vectors_have_a_partial_index(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'article_search_pending_idx'"
            )
            (definition,) = cursor.fetchone()
        assert "search_vector IS NULL" in definition
