from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles import related_weights
from articles.models import Article, RelatedLink
from articles.related import refresh_chunk, refresh_related
from articles.related_pages import related_for_page
from articles.related_weights import weights_from
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

on_postgres = connection.vendor == "postgresql"


def days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def world():
    news = make_section(name="News")
    sport = make_section(name="Sport")
    # "Politics" is on every article: it says nothing about relatedness.
    background = [
        make_article(
            section=news, tags=["Politics", f"filler {i}"], published_at=days_ago(i)
        )
        for i in range(20)
    ]
    return news, sport, background


class TestScoring:
    def test_a_shared_rare_tag_beats_several_shared_common_ones(self, world):
        news, _, background = world
        for article in background[:10]:
            article.tags.add("Economy")
        story = make_article(
            section=news,
            tags=["Politics", "Economy", "Wrencroft trial"],
            published_at=days_ago(1),
        )
        rare_match = make_article(
            section=news, tags=["Wrencroft trial"], published_at=days_ago(60)
        )
        refresh_related(story)
        assert related_for_page(story)[0] == rare_match

    def test_same_section_and_closeness_in_time_break_ties(self, world):
        news, sport, _ = world
        story = make_article(
            section=news, tags=["Storm Agnes"], published_at=days_ago(1)
        )
        far = make_article(
            section=news, tags=["Storm Agnes"], published_at=days_ago(300)
        )
        other_section = make_article(
            section=sport, tags=["Storm Agnes"], published_at=days_ago(2)
        )
        near = make_article(
            section=news, tags=["Storm Agnes"], published_at=days_ago(2)
        )
        refresh_related(story)
        assert related_for_page(story)[:3] == [near, other_section, far]

    def test_never_links_an_article_to_itself(self, world):
        story = make_article(tags=["Politics", "Unique"])
        refresh_related(story)
        assert story not in related_for_page(story)
        assert not RelatedLink.objects.filter(article=story, target=story).exists()

    def test_articles_sharing_nothing_are_not_shown_as_filler(self, world):
        news, _, _ = world
        story = make_article(section=news, tags=["Nothing shared"])
        refresh_related(story)
        assert related_for_page(story) == []

    def test_a_tag_on_every_article_is_no_reason_for_a_link(self, world):
        story = make_article(section=world[0], tags=["Politics"])
        refresh_related(story)
        assert related_for_page(story) == []


class TestVisibility:
    def test_only_live_articles_are_shown_even_when_stored(self, world):
        news, _, _ = world
        story = make_article(section=news, tags=["Harbour fire"])
        draft = make_article(
            section=news, tags=["Harbour fire"], status=Article.Status.DRAFT
        )
        scheduled = make_article(
            section=news,
            tags=["Harbour fire"],
            published_at=timezone.now() + timedelta(hours=2),
        )
        refresh_related(story)
        shown = related_for_page(story)
        assert draft not in shown
        assert scheduled not in shown

        # The scheduled story shows up by itself once its time has come.
        Article.objects.filter(pk=scheduled.pk).update(published_at=days_ago(0))
        assert scheduled in related_for_page(story)

    def test_unpublished_target_disappears_without_recomputing(self, world):
        news, _, _ = world
        story = make_article(section=news, tags=["Bridge collapse"])
        target = make_article(section=news, tags=["Bridge collapse"])
        refresh_related(story)
        assert target in related_for_page(story)
        Article.objects.filter(pk=target.pk).update(status=Article.Status.DRAFT)
        assert target not in related_for_page(story)


class TestEditorsChoices:
    def test_pins_come_first_in_their_order_and_exclusions_stay_out(self, world):
        news, _, background = world
        story = make_article(section=news, tags=["Transit strike"])
        matches = [
            make_article(section=news, tags=["Transit strike"]) for _ in range(3)
        ]
        RelatedLink.objects.create(
            article=story,
            target=background[7],
            kind=RelatedLink.Kind.PINNED,
            position=0,
        )
        RelatedLink.objects.create(
            article=story,
            target=background[3],
            kind=RelatedLink.Kind.PINNED,
            position=1,
        )
        RelatedLink.objects.create(
            article=story, target=matches[0], kind=RelatedLink.Kind.EXCLUDED
        )
        refresh_related(story)
        shown = related_for_page(story)
        assert shown[:2] == [background[7], background[3]]
        assert matches[0] not in shown
        assert set(matches[1:]) <= set(shown)

    def test_new_story_appears_under_its_neighbours(self, world):
        news, _, _ = world
        older = make_article(
            section=news, tags=["Mayoral race"], published_at=days_ago(3)
        )
        refresh_related(older)
        newer = make_article(
            section=news, tags=["Mayoral race"], published_at=days_ago(0)
        )
        assert newer not in related_for_page(older)
        # Its follow-up: its links, then its closest neighbours'.
        refresh_chunk([newer], around={newer.pk})
        assert related_for_page(older)[0] == newer

    def test_reading_links_is_one_query(self, world, django_assert_num_queries):
        story = make_article(tags=["Politics", "filler 1", "filler 2"])
        refresh_related(story)
        with django_assert_num_queries(1):
            shown = related_for_page(story)
            for article in shown:  # what a story card shows
                _ = article.hero_image, article.section.name, article.kicker
                _ = article.headline, article.deck, article.get_absolute_url()
        assert shown

    def test_pins_of_an_article_with_many_links_come_first(self, world):
        news, _, background = world
        story = make_article(section=news, tags=[f"filler {i}" for i in range(20)])
        refresh_related(story)
        pinned = background[19]
        RelatedLink.objects.filter(article=story, target=pinned).delete()
        RelatedLink.objects.create(
            article=story, target=pinned, kind=RelatedLink.Kind.PINNED, position=3
        )
        assert related_for_page(story)[0] == pinned


class TestWrites:
    def test_refresh_retires_the_articles_own_pages_when_its_links_change(
        self, world, monkeypatch
    ):
        retired = []
        monkeypatch.setattr(
            "articles.related.articles_changed",
            lambda records, **how: retired.append((records, how)),
        )
        tags = [f"filler {i}" for i in range(10)]
        story = make_article(tags=tags)
        refresh_related(story)
        # The same links stored again: its pages still show them.
        refresh_related(story)
        once = ([(None, {"articles": [story.slug]})], {"schedule": False})
        assert retired == [once]
        closer = make_article(tags=tags)
        refresh_related(story)
        assert retired == [once, once]
        assert related_for_page(story)[0] == closer
        assert RelatedLink.objects.filter(article=story).count() == 8

    def test_drafts_among_the_best_matches_leave_room_for_published_ones(self, world):
        news, _, _ = world
        story = make_article(section=news, tags=["Harbour fire", "Ferry strike"])
        drafts = [
            make_article(
                section=news,
                tags=["Harbour fire", "Ferry strike"],
                status=Article.Status.DRAFT,
            )
            for _ in range(10)
        ]
        live = make_article(section=news, tags=["Harbour fire"])
        refresh_related(story)
        shown = related_for_page(story)
        assert shown[0] == live
        assert not set(drafts) & set(shown)


class TestTagWeights:
    """Tags are scored rarest first, within a budget of uses (POSTINGS)."""

    @pytest.fixture(autouse=True)
    def archive(self, monkeypatch):
        monkeypatch.setattr("articles.related_weights.article_total", lambda: 100_000)

    @staticmethod
    def kept(**df):
        rows = [
            {"tag_id": i, "tag__name": name, "df": n}
            for i, (name, n) in enumerate(df.items())
        ]
        return [name for name, _ in weights_from(rows).values()]

    def test_a_common_tag_is_left_out_once_rarer_ones_bring_enough_articles(self):
        assert self.kept(trial=100, courts=2_000) == ["trial"]

    def test_a_common_tag_is_taken_while_rarer_ones_bring_too_few(self):
        assert self.kept(trial=5, courts=2_000) == ["trial", "courts"]
        assert self.kept(unique=1, courts=2_000) == ["unique", "courts"]

    def test_rare_tags_within_the_budget_are_all_taken(self):
        assert self.kept(a=150, b=100, c=200) == ["a", "b", "c"]

    def test_a_very_common_tag_only_when_there_is_nothing_else(self):
        assert self.kept(politics=9_000) == ["politics"]
        assert self.kept(trial=5, politics=9_000) == ["trial"]


@pytest.mark.django_db(transaction=True)
def test_refresh_outside_a_transaction_commits_its_links(django_assert_num_queries):
    news = make_section(name="News")
    story = make_article(section=news, tags=["Harbour fire"])
    match = make_article(section=news, tags=["Harbour fire"])
    refresh_related(match)  # counts the archive (kept ten minutes)
    # The article's tags, their counts; begin, the delete (with, on
    # PostgreSQL, the transaction's settings), the ranking (on SQLite, the
    # candidates, then editors' pins), the insert, commit. Its pages are
    # retired (its links changed) without looking up the next scheduled
    # publication: links change no schedule.
    with django_assert_num_queries(7 if on_postgres else 8):
        refresh_related(story)
    assert related_for_page(story)[0] == match


def test_the_corpus_counts_are_kept_in_the_process_for_a_minute(
    world, monkeypatch, django_assert_num_queries
):
    story = make_article(tags=["Politics", "filler 1"])
    clock = [1000.0]
    monkeypatch.setattr(related_weights.time, "monotonic", lambda: clock[0])
    refresh_related(story)  # counts the archive
    cache.clear()  # another process's cache, or one a deploy emptied
    refreshing = 7 if on_postgres else 8  # the same links: nothing retired
    with django_assert_num_queries(refreshing):
        refresh_related(story)
    clock[0] += related_weights.KEPT_HERE_SECONDS + 1
    cache.clear()
    # ...and the live articles, common tags, words counted again.
    with django_assert_num_queries(refreshing + 3):
        refresh_related(story)
