"""The words related links look stories up by (PostgreSQL) follow every
write: an edited headline, an import, and an archive written before they
were kept (`manage.py refresh_related`)."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.ingest.batches import Loader
from articles.ingest.sources import Source
from articles.models import RelatedWord
from articles.related import refresh_related
from articles.related_pages import related_for_page
from tests.factories import make_article, make_section

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="words are looked up on PostgreSQL",
    ),
]


def days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def story():
    """A story with a tag no other has, in an archive large enough for its
    name to be a rare word: it finds its neighbours by its words."""
    news = make_section(name="News")
    for i in range(120):
        make_article(
            section=news,
            headline=f"Council meeting on the budget, part {i}",
            tags=["Council"],
            published_at=days_ago(i % 40),
        )
    return make_article(
        section=make_section(name="Courts"),
        headline="Wrencroft founder tells jury he never hid the losses",
        tags=["Wrencroft trial"],
        published_at=days_ago(1),
    )


def test_an_edited_headline_moves_the_story_to_its_new_words(story):
    renamed = make_article(headline="Wrencroft savers wait", published_at=days_ago(2))
    named = make_article(headline="Savers wait for news", published_at=days_ago(3))
    publishing.update(renamed, by=None, headline="Quarry savers wait")
    publishing.update(named, by=None, headline="Wrencroft savers wait for news")
    refresh_related(story)
    assert related_for_page(story) == [named]


def test_an_unpublished_story_is_no_longer_found(story):
    gone = make_article(headline="Wrencroft savers wait", published_at=days_ago(2))
    publishing.unpublish(gone, by=None)
    refresh_related(story)
    assert related_for_page(story) == []
    assert not RelatedWord.objects.filter(article=gone).exists()


def test_a_deleted_story_takes_its_words_with_it(story):
    gone = make_article(headline="Wrencroft savers wait", published_at=days_ago(2))
    pk = gone.pk
    assert RelatedWord.objects.filter(article_id=pk).exists()
    gone.delete()
    assert not RelatedWord.objects.filter(article_id=pk).exists()
    refresh_related(story)
    assert related_for_page(story) == []


def test_an_archive_without_words_gets_them_from_refresh_related(story):
    partner = make_article(headline="Wrencroft savers wait", published_at=days_ago(2))
    RelatedWord.objects.all().delete()  # written before the words were kept
    call_command("refresh_related", verbosity=0)
    assert related_for_page(story) == [partner]


def test_an_imported_batch_writes_its_words_in_one_statement(story, tmp_path):
    day = days_ago(2).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / "wrencroft.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "uri": f"urn:words:{n}",
                    "headline": f"Wrencroft savers wait, day {n}",
                    "body_html": "<p>Savers wait.</p>",
                    "authors": [{"name": "Ann Writer"}],
                    "subjects": [{"name": "Pensions"}],
                    "versioncreated": day,
                    "pubstatus": "usable",
                }
            )
            for n in range(3)
        )
    )
    loader, source = Loader(), Source(path)
    with CaptureQueriesContext(connection) as context, source.open() as stream:
        for item in source.records(stream, "ninjs"):
            loader.handle(item, source)
        loader.commit()
    words = [q for q in context.captured_queries if "relatedword" in q["sql"]]
    assert len(words) == 1
    refresh_related(story)
    assert len(related_for_page(story)) == 3
