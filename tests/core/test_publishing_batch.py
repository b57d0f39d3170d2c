"""An import's batch through the write path (articles/publishing_batch.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleRedirect, ArticleTag, Byline, Revision
from articles.publishing_batch import Loaded, load_batch
from tests.factories import loaded_stories, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


class TestLoadBatch:
    def test_writes_new_articles_in_bulk_with_links_and_revisions(self):
        section, ada = make_section(), make_author(name="Ada")
        tag = ArticleTag._meta.get_field("tag").related_model.objects.create(
            name="Harbour"
        )
        entries = loaded_stories(3, section=section, authors=[ada], tags=[tag])
        with CaptureQueriesContext(connection) as ctx:
            pks = load_batch(entries)
        # One statement each (COPY on PostgreSQL): articles, bylines, tags,
        # headline words (related links), revisions, and their purge records
        # (the page cache renders the new stories' pages again).
        writes = [q for q in ctx if re.match(r"(\d+ times: )?(INSERT|COPY)", q["sql"])]
        assert len(writes) == 6
        assert '"articles_pendingwork"' in writes[-1]["sql"]
        assert Revision.objects.filter(article__in=pks).count() == 3
        assert {a["name"] for r in Revision.objects.all() for a in r.data["authors"]}
        assert Byline.objects.filter(article__in=pks).count() == 3

    # The importer sanitizes its bodies once and says so (`bodies_clean`):
    # the rule is still checked, on the body as it is.
    @pytest.mark.parametrize("body, clean", [("<p></p>", False), ("", True)])
    def test_refuses_a_batch_with_a_published_article_without_a_body(self, body, clean):
        entry = Loaded(
            Article(
                headline="No body",
                slug="no-body",
                body=body,
                section=make_section(),
                status=Article.Status.PUBLISHED,
            ),
            [],
            [],
        )
        with pytest.raises(ValidationError, match="no body"):
            load_batch([entry], bodies_clean=clean)
        assert not Article.objects.exists()

    def test_a_source_story_without_a_byline_may_be_published(self):
        # As imports always have (the importer warns): see docs/workflow.md.
        entry = Loaded(
            Article(
                headline="Wire copy",
                slug="wire-copy",
                body="<p>Text.</p>",
                section=make_section(),
                status=Article.Status.PUBLISHED,
            ),
            [],
            [],
        )
        load_batch([entry])
        assert Article.objects.get().is_live

    def test_a_changed_article_keeps_its_old_address(self):
        article = make_article(slug="before")
        old = article.get_absolute_url()
        article.slug = "after"
        load_batch([Loaded(article, [article.bylines.get().author_id], [])])
        assert ArticleRedirect.objects.get().old_path == old
