"""What an uncached page costs in queries: a fixed number, whatever the archive holds.

Each public page is asked for with 3 articles in the archive and again with 30
(in several sections, with several authors, tags and related links); its
query count is the same, and the exact number is asserted so that a query
added to a page is a decision, not an accident. The navigation is in the
cache (warmed by a first request), as it is on a running site.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.context_processors import navigation_sections
from articles.models import Article
from articles.related import refresh_related
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

# Home: the ids and versions of the 13 newest (the lead and the cards below
# it), one UNION for the rails (their articles, and the lead's byline, only
# when a card is not kept: see the last test).
# Article: the article, bylines, tags, related links (and corrections, for a
# story that has some: these have none).
# Listings: the section/tag/author and the ids and versions of one page of
# cards (its articles and their bylines only when a card is not kept: see the
# last test).
# Search: the count and the page's ids, versions and bodies (PostgreSQL: the
# ranked candidates, whose number is the count, and the page's snippets); its
# articles and their bylines only when a card is not kept (the last test).
EXPECTED = {
    "home": 2,
    "article": 4,
    "section": 2,
    "tag": 2,
    "author": 2,
    "search": 2,
}


@pytest.fixture
def archive():
    sections = [make_section(name=f"Desk {n}", slug=f"desk-{n}") for n in range(3)]
    ada = make_author(name="Ada Reporter", slug="ada")
    articles = []

    def grow(count):
        for _ in range(count):
            n = len(articles)
            article = make_article(
                headline=f"Harbour story {n}",
                section=sections[n % 3],
                authors=[ada, make_author()] if n % 2 else [ada],
                tags=["Harbour", f"Topic {n % 4}"],
            )
            articles.append(article)
        for article in articles:
            refresh_related(article)

    return grow, articles


def paths(articles):
    first = articles[0]
    return {
        "home": "/",
        "article": first.get_absolute_url(),
        "section": first.section.get_absolute_url(),
        "tag": "/tag/harbour/",
        "author": "/author/ada/",
        "search": "/search/?q=harbour",
    }


def counts(client, urls):
    result = {}
    for name, url in urls.items():
        client.get(url)  # the navigation into the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        result[name] = len(captured)
    return result


def test_query_counts_do_not_grow_with_the_archive(client, archive, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # measure rendering, not the cache
    grow, articles = archive
    grow(3)
    few = counts(client, paths(articles))
    grow(27)
    assert Article.objects.published().count() == 30
    many = counts(client, paths(articles))
    assert few == EXPECTED
    assert many == EXPECTED


def test_rails_hold_each_sections_newest_live_stories_below_the_top(client):
    from datetime import timedelta

    from django.utils import timezone

    from articles.views import HOME_LATEST, section_rails

    now = timezone.now()
    top_desk, quiet = make_section(name="Top", slug="top"), make_section(name="Quiet")
    quiet.position, top_desk.position = 0, 1
    quiet.save()
    top_desk.save()
    top = [
        make_article(section=top_desk, published_at=now - timedelta(minutes=n + 1))
        for n in range(HOME_LATEST)
    ]
    older = [
        make_article(
            headline=f"Quiet {n}",
            section=quiet,
            published_at=now - timedelta(days=n + 1),
        )
        for n in range(6)
    ]
    make_article(
        headline="Quiet scheduled", section=quiet, published_at=now + timedelta(days=1)
    )
    make_article(headline="Quiet draft", section=quiet, status=Article.Status.DRAFT)
    rails = [
        (section["name"], [row.load(False).headline for row in rows])
        for section, rows in section_rails(None, now, exclude={a.pk for a in top})
    ]
    assert rails == [("Quiet", [a.headline for a in older[:4]])]
    html = client.get("/").content.decode()
    assert "Quiet 3" in html and "Quiet 4" not in html
    assert "Quiet scheduled" not in html and "Quiet draft" not in html


def test_a_listing_reads_its_articles_only_to_render_a_card(client, archive, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    grow, articles = archive
    grow(30)
    for url in [
        "/tag/harbour/",
        articles[0].section.get_absolute_url(),
        "/author/ada/",
        "/search/?q=harbour",
    ]:
        caches["cards"].clear()
        client.get("/")  # the navigation into the cache
        with CaptureQueriesContext(connection) as first:
            html = client.get(url).content.decode()
        with CaptureQueriesContext(connection) as again:
            assert client.get(url).content.decode() == html
        assert (len(first), len(again)) == (4, 2), url
        assert "Ada Reporter" in html


def test_the_home_page_reads_its_articles_only_to_render_a_card(
    client, archive, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    grow, articles = archive
    grow(30)
    caches["cards"].clear()
    navigation_sections(None)  # the navigation kept, as any page leaves it
    with CaptureQueriesContext(connection) as first:
        html = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get("/").content.decode() == html
    # The top's articles and their bylines (the lead shows its byline), the
    # rails' articles: read for the first render, not again.
    assert (len(first), len(again)) == (5, 2)
    lead = Article.objects.published().first()
    assert f'<h3 class="lead__headline"><a href="{lead.get_absolute_url()}">' in html
    assert "Ada Reporter" in html
