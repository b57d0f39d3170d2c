from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import publishable
from articles.models import Article, Byline, Tag, get_or_create_tag, tag_key
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


class TestPublishedDoor:
    def test_only_published_articles_in_the_past_are_public(self):
        live = make_article()
        make_article(status=Article.Status.DRAFT)
        make_article(status=Article.Status.REVIEW)
        make_article(status=Article.Status.WITHDRAWN)
        make_article(published_at=timezone.now() + timedelta(minutes=5))

        assert list(Article.objects.published()) == [live]

    def test_scheduled_article_goes_live_by_itself_at_its_time(self):
        article = make_article(published_at=timezone.now() + timedelta(hours=1))
        assert article.is_scheduled and not article.is_live
        assert article in Article.objects.scheduled()

        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        assert article in Article.objects.published()

    def test_publishing_without_a_time_publishes_now(self):
        article = make_article(published_at=None)
        assert article.published_at is not None
        assert article.is_live

    def test_drafts_keep_no_publication_time(self):
        draft = make_article(status=Article.Status.DRAFT, published_at=None)
        assert draft.published_at is None


class TestArticleRules:
    def test_published_article_needs_headline_and_body(self):
        article = Article(
            headline=" ", body="<p></p>", status=Article.Status.PUBLISHED, slug="x"
        )
        with pytest.raises(ValidationError):
            publishable.check(article, authors=[make_author()])
        errors = publishable.form_errors(article, authors=[make_author()])
        assert set(errors) == {"headline", "body"}

    def test_draft_may_be_incomplete(self):
        publishable.check(
            Article(headline="", body="", status=Article.Status.DRAFT), authors=[]
        )

    def test_body_is_sanitized_on_every_save(self):
        article = make_article(
            body='<p onclick="x()">Hi<script>alert(1)</script>'
            '<a href="javascript:alert(1)">link</a></p><h2>Crosshead</h2>'
        )
        article.refresh_from_db()
        assert "<script" not in article.body
        assert "onclick" not in article.body
        assert "javascript:" not in article.body
        assert "<h2>Crosshead</h2>" in article.body

    def test_slug_is_unique(self):
        make_article(slug="same")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_article(slug="same")

    def test_url_carries_the_local_publication_date(self):
        when = timezone.now() - timedelta(days=3)
        article = make_article(slug="a-story", published_at=when)
        local = timezone.localtime(when)
        assert article.get_absolute_url() == (
            f"/{local.year}/{local.month}/{local.day}/a-story/"
        )

    def test_authors_keep_byline_order(self):
        first, second, third = (make_author(name=n) for n in ("Zed", "Amy", "Max"))
        article = make_article(authors=[first, second, third])
        Byline.objects.filter(article=article, author=first).update(position=5)
        article = Article.objects.prefetch_related("bylines__author").get(pk=article.pk)
        assert [a.name for a in article.byline_authors] == ["Amy", "Max", "Zed"]

    def test_an_author_is_on_a_byline_once(self):
        author = make_author()
        article = make_article(authors=[author])
        with pytest.raises(IntegrityError), transaction.atomic():
            Byline.objects.create(article=article, author=author, position=1)


class TestTags:
    def test_case_spacing_and_unicode_variants_are_one_tag(self):
        a = make_article(tags=["Donald Trump"])
        b = make_article(tags=["donald  trump "])
        c = make_article(tags=["DONALD\u00a0TRUMP"])
        assert Tag.objects.count() == 1
        tag = Tag.objects.get()
        assert tag.name == "Donald Trump"
        assert {x.pk for x in Article.objects.filter(tagged_items__tag=tag)} == {
            a.pk,
            b.pk,
            c.pk,
        }

    def test_a_hashtag_is_the_tag_without_its_mark(self):
        make_article(tags=["Brexit"])
        article = make_article(tags=["#Brexit", "＃brexit", "# Brexit"])
        assert list(article.tags.names()) == ["Brexit"]
        assert tag_key("#C#") == tag_key("C#") != tag_key("C")
        assert len({tag_key(n) for n in ["C", "C#", "C++", ".NET", "NET"]}) == 5

    def test_nfc_and_nfd_spellings_are_one_tag(self):
        make_article(tags=["Caf\u00e9"])
        make_article(tags=["Cafe\u0301"])
        assert Tag.objects.count() == 1

    def test_database_refuses_a_case_twin(self):
        Tag.objects.create(name="Gaza")
        with pytest.raises(IntegrityError), transaction.atomic():
            Tag.objects.create(name="GAZA")

    def test_duplicate_names_in_one_call_give_one_tag(self):
        article = make_article(tags=["Valencia", "valencia", " VALENCIA"])
        assert article.tags.count() == 1

    def test_empty_and_invisible_names_are_ignored(self):
        article = make_article(tags=["", "   ", "\u200b", "Real"])
        assert list(article.tags.names()) == ["Real"]

    def test_tags_that_slugify_to_nothing_still_get_a_slug(self):
        first = get_or_create_tag("!!!")
        second = get_or_create_tag("???")
        assert first.slug and second.slug and first.slug != second.slug

    def test_unicode_tags_keep_unicode_slugs(self):
        assert get_or_create_tag("Zürich").slug == "zürich"

    def test_tag_count_per_article_is_capped(self):
        article = make_article()
        with pytest.raises(ValidationError):
            article.tags.set([f"tag {i}" for i in range(51)])
        assert article.tags.count() == 0

    def test_over_long_tag_names_are_cut_to_the_column(self):
        assert len(get_or_create_tag("x" * 500).name) == 100


class TestSectionsAndAuthors:
    def test_sections_are_ordered_by_position(self):
        make_section(name="B", position=2)
        make_section(name="A", position=1)
        from articles.models import Section

        assert [s.name for s in Section.objects.all()] == ["A", "B"]

    def test_author_url(self):
        assert make_author(slug="jane-doe").get_absolute_url() == "/author/jane-doe/"
