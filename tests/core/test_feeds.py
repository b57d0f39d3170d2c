from datetime import timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.feeds import FEED_SIZE
from articles.media.renditions import make_renditions
from articles.models import Article, Image
from tests.factories import jpeg_bytes, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feed/",
    "/feed/atom/",
    "/section/world/feed/",
    "/section/world/feed/atom/",
    "/tag/harbour/feed/",
    "/tag/harbour/feed/atom/",
    "/author/ada/feed/",
    "/author/ada/feed/atom/",
]


@pytest.fixture
def story():
    section = make_section(name="World", slug="world")
    ada = make_author(name="Ada Reporter", slug="ada")
    ben = make_author(name="Ben Second", slug="ben")
    image = Image.objects.create(
        file=SimpleUploadedFile("harbour.jpg", jpeg_bytes((800, 450))),
        alt="The harbour at dawn",
        credit="Staff",
    )
    make_renditions(image)
    return make_article(
        headline="Harbour reopens",
        deck="Ships return <at last>.",
        body="<p>The <strong>harbour</strong> reopened today.</p>",
        section=section,
        authors=[ada, ben],
        tags=["Harbour", "Shipping"],
        hero_image=image,
    )


@pytest.mark.parametrize("url", FEEDS)
def test_feed_is_valid_and_complete(client, story, url, settings):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version in ("rss20", "atom10")
    (entry,) = feed.entries
    assert entry.title == "Harbour reopens"
    assert entry.link == settings.SITE_URL + story.get_absolute_url()
    assert "<strong>harbour</strong>" in entry.content[0].value
    assert [a.name for a in entry.authors] == ["Ada Reporter", "Ben Second"]
    assert {t.term for t in entry.tags} == {"Harbour", "Shipping"}
    assert entry.media_content[0]["url"].endswith(".jpg")
    assert entry.media_content[0]["width"] == "800"
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
    assert entry.published_parsed is not None


def test_links_come_from_site_url_not_the_host_header(client, story, settings):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    response = client.get("/feed/", HTTP_HOST="evil.example")
    feed = feedparser.parse(response.content)
    assert feed.feed.link == "https://news.example/"
    assert feed.entries[0].link == "https://news.example" + story.get_absolute_url()
    assert b"evil.example" not in response.content


def test_headline_with_markup_is_escaped(client):
    make_article(headline="<script>alert(1)</script>", deck="</description>")
    for url in ("/feed/", "/feed/atom/"):
        response = client.get(url)
        feed = feedparser.parse(response.content)
        assert not feed.bozo
        assert b"<script>" not in response.content


def test_feed_lists_the_latest_thirty_newest_first(client):
    section = make_section(slug="busy")
    for i in range(FEED_SIZE + 5):
        make_article(
            headline=f"Story {i}",
            section=section,
            published_at=timezone.now() - timedelta(minutes=i + 1),
        )
    feed = feedparser.parse(client.get("/section/busy/feed/").content)
    assert len(feed.entries) == FEED_SIZE
    assert feed.entries[0].title == "Story 0"


@pytest.mark.parametrize("url", ["/feed/", "/section/world/feed/atom/"])
def test_query_count_does_not_grow_with_items(client, settings, url):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = make_section(name="World", slug="world")

    def add(n):
        for _ in range(n):
            make_article(
                section=section,
                authors=[make_author(), make_author()],
                tags=["a", "b", "c"],
            )

    add(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many) <= 5


def test_unknown_or_draft_only_scopes_are_404(client):
    make_article(tags=["Secret"], status=Article.Status.DRAFT)
    for url in ("/tag/secret/feed/", "/section/nowhere/feed/", "/author/no/feed/"):
        assert client.get(url).status_code == 404


def test_pages_link_to_their_feeds(client, story):
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'href="/feed/"' in home
    assert 'href="/feed/atom/"' in home
    section = client.get("/section/world/").content.decode()
    assert 'href="/section/world/feed/"' in section
    assert 'href="/section/world/feed/atom/"' in section
    assert 'href="/tag/harbour/feed/"' in client.get("/tag/harbour/").content.decode()
    assert 'href="/author/ada/feed/"' in client.get("/author/ada/").content.decode()


def test_feeds_answer_head_and_refuse_post(client, story):
    assert client.head("/feed/").status_code == 200
    assert client.post("/feed/").status_code == 405
