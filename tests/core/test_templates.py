"""What readers (and search engines) see on the public pages."""

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image as PILImage

from articles.freshness import content_changed
from articles.models import Article, Image
from articles.related import refresh_related
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def jpeg(width=800, height=450):
    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (40, 60, 90)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="hero.jpg")


def make_image(**fields):
    fields.setdefault("alt", "Queues on the ring road")
    fields.setdefault("caption", "Traffic at dawn.")
    fields.setdefault("credit", "Jo Bloggs")
    return Image.objects.create(file=jpeg(), **fields)


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD script on the page"
    return json.loads(match.group(1))


@pytest.fixture
def story():
    section = make_section(name="News", slug="news")
    authors = [
        make_author(name="Ada Marsh", slug="ada-marsh"),
        make_author(name="Ben Kell", slug="ben-kell"),
        make_author(name="Cy Osei", slug="cy-osei"),
    ]
    article = make_article(
        section=section,
        authors=authors,
        kicker="Harbour Bridge",
        headline="Bridge closed after cracks found",
        deck="Engineers say it stays shut.",
        body="<p>First paragraph.</p><h2>What next</h2><p>More.</p>",
        hero_image=make_image(),
        tags=["Aldmere Bridge", "Transport"],
        published_at=timezone.now() - timedelta(minutes=10),
    )
    neighbour = make_article(
        section=section,
        headline="Extra ferries added",
        deck="Ferries every ten minutes.",
        tags=["Aldmere Bridge"],
        hero_image=make_image(alt="A ferry"),
    )
    refresh_related(article)
    return article, neighbour


def test_article_page_shows_the_story_in_reading_order(client, story):
    article, neighbour = story
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.index("<body")
    positions = [
        html.index(text, body)
        for text in (
            '<p class="kicker">Harbour Bridge</p>',
            "<h1",
            "Bridge closed after cracks found</h1>",
            "Engineers say it stays shut.",
            "By ",
            "<h2>What next</h2>",
        )
    ]
    assert positions == sorted(positions)
    assert re.search(
        r"By <a[^>]*>Ada Marsh</a>, <a[^>]*>Ben Kell</a> and <a[^>]*>Cy Osei</a>", html
    )
    assert 'href="/tag/aldmere-bridge/"' in html and ">Transport</a>" in html
    assert "Extra ferries added" in html  # related story
    hero = re.search(
        r'<figure class="story__hero">\s*(?:<picture>.*?)?<img ([^>]*)>', html, re.S
    ).group(1)
    assert 'width="800"' in hero and 'height="450"' in hero
    assert 'alt="Queues on the ring road"' in hero
    assert "Traffic at dawn." in html and "Jo Bloggs" in html
    assert '<a href="/">Home</a>' in html and 'href="/section/news/">News</a>' in html


def test_updated_time_is_shown_only_after_a_real_update(client, story):
    article, _ = story
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" not in html
    Article.objects.filter(pk=article.pk).update(
        updated_at=article.published_at + timedelta(hours=5)
    )
    content_changed()  # update() sends no signals; the page cache must be told
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated <time datetime=" in html


def test_json_ld_describes_the_article(client, story, settings):
    article, _ = story
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bridge closed after cracks found"
    assert data["description"] == "Engineers say it stays shut."
    assert data["datePublished"] and data["dateModified"]
    assert [a["name"] for a in data["author"]] == ["Ada Marsh", "Ben Kell", "Cy Osei"]
    assert all(a["@type"] == "Person" for a in data["author"])
    assert data["author"][0]["url"] == f"{settings.SITE_URL}/author/ada-marsh/"
    assert data["image"][0]["width"] == 800 and data["image"][0]["height"] == 450
    assert data["publisher"]["name"] == settings.SITE_NAME
    page = f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert data["mainEntityOfPage"]["@id"] == page
    assert data["keywords"] == ["Aldmere Bridge", "Transport"]


def test_a_script_tag_in_the_headline_cannot_escape_the_json_ld(client):
    headline = 'Bad </script><script>alert("x")</script> & <b>bold</b>'
    article = make_article(headline=headline)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert json_ld(html)["headline"] == headline
    assert "&lt;/script&gt;&lt;script&gt;alert" in html  # the visible h1 is escaped


def test_canonical_and_open_graph(client, story, settings):
    article, _ = story
    html = client.get(article.get_absolute_url()).content.decode()
    url = f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert (
        '<meta property="og:title" content="Bridge closed after cracks found">' in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:image" content="http' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'name="robots"' not in html


def test_an_article_published_elsewhere_points_its_canonical_there(client):
    article = make_article(canonical_url="https://wire.example.org/story/1")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://wire.example.org/story/1">' in html
    assert (
        json_ld(html)["mainEntityOfPage"]["@id"] == "https://wire.example.org/story/1"
    )


def test_staff_preview_of_a_draft_has_a_banner_and_noindex(admin_client, client):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    response = admin_client.get(f"/preview/{draft.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="status"' in html and "Preview — not published" in html
    assert '<meta name="robots" content="noindex' in html
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_plain_text_fields_are_escaped(client):
    author = make_author(name="<i>Eve</i>")
    article = make_article(
        authors=[author],
        kicker="<em>k</em>",
        deck="<img src=x onerror=alert(1)>",
        tags=["<b>tag</b>"],
        hero_image=make_image(alt='"><script>', caption="<u>c</u>", credit="<s>x</s>"),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    for raw in (
        "<i>Eve</i>",
        "<em>k</em>",
        "<img src=x",
        "<b>tag</b>",
        "<u>c</u>",
        "<s>x</s>",
    ):
        assert raw not in html
    assert "&lt;i&gt;Eve&lt;/i&gt;" in html


def test_withdrawn_article_says_why(client):
    article = make_article(
        status=Article.Status.WITHDRAWN, withdrawn_reason="The central claim was wrong."
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "The central claim was wrong." in response.content.decode()


def test_home_shows_the_lead_and_section_rails(client):
    news, sport = (
        make_section(name="News", position=1),
        make_section(name="Sport", position=2),
    )
    make_article(
        section=sport,
        headline="Rovers reach final",
        published_at=timezone.now() - timedelta(days=2),
    )
    # Enough newer stories that the sport story is left for its rail.
    for hours in range(1, 15):
        make_article(section=news, published_at=timezone.now() - timedelta(hours=hours))
    lead = make_article(
        section=news,
        headline="Bridge closed",
        hero_image=make_image(),
        published_at=timezone.now() - timedelta(minutes=5),
    )
    html = client.get("/").content.decode()
    assert re.search(r'class="lead__headline"><a href="[^"]+">Bridge closed</a>', html)
    assert lead.hero_image.file.url in html
    news_rail, sport_rail = html.index('id="rail-'), html.rindex('id="rail-')
    assert news_rail < sport_rail
    assert "Rovers reach final" in html[sport_rail:]
    assert '<link rel="canonical" href="http' in html


def test_listing_pages_have_canonical_and_pagination_keeps_the_query(client):
    section = make_section(name="Politics", slug="politics")
    for n in range(25):
        make_article(section=section, headline=f"Vote count {n}")
    html = client.get("/section/politics/").content.decode()
    assert 'rel="canonical" href="http://' in html and "/section/politics/" in html
    assert '<meta property="og:title" content="Politics">' in html
    assert 'href="?page=2"' in html
    html = client.get("/search/?q=vote+count").content.decode()
    assert "25 results" in html
    assert 'href="?q=vote%20count&amp;page=2"' in html


def test_error_pages_render(rf):
    html = render_to_string("500.html")
    assert "Something went wrong" in html and "{%" not in html
    request = rf.get("/missing/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert "We can’t find that page" in render_to_string("404.html", request=request)


def test_unknown_address_uses_the_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
