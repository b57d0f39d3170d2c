"""Every real-world file (../shared/fixtures/real, read in place, never copied)
against its row in real_expectations.TABLE: the articles it creates, the items
it skips and why, how many never become public, how many times had no zone,
and what a reader sees of one of its articles.

Each file is imported twice: the first run fails no record and the second
finds everything unchanged. A file added to the folder without a row fails
`test_every_file_has_a_row`.
"""

from datetime import datetime

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from articles.ingest.imports import import_paths
from articles.models import Article, Image
from tests.ingest.real_expectations import AT_IMPORT, TABLE, Reader
from tests.ingest.test_import_articles import SHARED

REAL = SHARED / "real"
# A page loads the article with its section, bylines, tags and picture, and
# the navigation, however many there are of each.
PAGE_QUERIES = 7

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not REAL.is_dir(), reason="real-world fixtures (../shared/fixtures/real) absent"
    ),
]


def page_facts(client, article, imported_between):
    """A Reader from the article's public page (or its absence)."""
    response = client.get(article.get_absolute_url())
    if response.status_code == 404:
        return Reader(article.source_uri, public=False)
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)

    def text(node):
        return " ".join(node.text_content().split())

    byline = page.xpath('//*[contains(@class, "story__meta")]//p[@class="byline"]')
    times = page.xpath('//p[@class="dateline"]/time')
    date = times[0].get("datetime") if times else ""
    if (
        len(date) > 10
        and imported_between[0] <= datetime.fromisoformat(date) <= (imported_between[1])
    ):
        date = AT_IMPORT
    return Reader(
        source_uri=article.source_uri,
        headline=text(page.xpath('//h1[@class="story__headline"]')[0]),
        byline=text(byline[0]) if byline else None,
        date=date,
        language=page.get("lang"),
        paragraphs=len(page.xpath('//div[contains(@class, "story__body")]//p')),
        tags=sorted(text(a) for a in page.xpath('//ul[@class="tags"]//a')),
        hero=article.hero_image.source_uri if article.hero_image_id else None,
    )


def skip_reason(message):
    """A skip's reason, without the identity of the item it names."""
    return (
        message.split(" ", 1)[1]
        if " appears earlier in this run" in message
        else (message)
    )


def test_every_file_has_a_row():
    files = {
        str(p.relative_to(REAL))
        for p in REAL.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    }
    assert files == set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_file_imports_as_its_row_says(name, client, django_assert_max_num_queries):
    expect = TABLE[name]
    started = timezone.now()
    first = import_paths([REAL / name])
    imported_between = (started, timezone.now())
    assert [str(p) for p in first.failures] == []
    assert first.created == expect.created
    reasons = {}
    for problem in first.skips:
        reason = skip_reason(problem.message)
        reasons[reason] = reasons.get(reason, 0) + 1
    assert reasons == expect.skipped
    never_public = Article.objects.exclude(status=Article.Status.PUBLISHED)
    assert never_public.count() == expect.private
    assert len(first.zoneless) == expect.zoneless

    second = import_paths([REAL / name])
    assert (second.created, second.updated, second.failed) == (0, 0, 0)
    assert second.unchanged == expect.created
    assert second.skipped == first.skipped

    for uri in expect.pictures:
        assert Image.objects.filter(source_uri=uri).count() == 1
    if expect.reader is not None:
        article = Article.objects.get(source_uri=expect.reader.source_uri)
        with django_assert_max_num_queries(PAGE_QUERIES):
            seen = page_facts(client, article, imported_between)
        assert seen == expect.reader
