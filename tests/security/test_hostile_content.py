"""Hostile text typed into every editable field, checked on every surface.

Each test puts every payload in tests/security/hostile.py into one field (one
article per payload) and fetches one surface: the page must carry the text
inert (escaped, sanitised or dropped), feeds and sitemaps must stay well-formed
XML, JSON-LD must stay valid JSON inside its script element, and nothing may
be a `javascript:`/`data:` link or an event handler.
"""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article, Correction, Image
from tests.factories import jpeg_bytes, make_article, make_author, make_section

from .hostile import PAYLOADS, html_problems, xml_problems

pytestmark = pytest.mark.django_db

FIELDS = [
    "headline", "deck", "kicker", "body", "tag", "author_name", "author_bio",
    "caption", "credit", "alt", "seo_title", "seo_description", "correction",
]  # fmt: skip
# Payloads share articles to keep the matrix quick; each group fits the shortest
# field (the kicker, 100 characters) and URL-like payloads come first.
PAYLOAD_GROUPS = [
    PAYLOADS["javascript-url"] + PAYLOADS["break-attr"] + PAYLOADS["break-script"],
    PAYLOADS["data-url"] + PAYLOADS["template"],
    PAYLOADS["event-handler"],
    PAYLOADS["svg"],
]
ARTICLE_FIELDS = {"headline", "deck", "kicker", "seo_title", "seo_description"}


def hostile_articles(field):
    """One live article per payload, with the payload in `field`."""
    section = make_section(name="Desk", slug="desk")
    articles = []
    for n, payload in enumerate(PAYLOAD_GROUPS):
        author = make_author(
            name=payload if field == "author_name" else f"Writer {n}",
            bio=payload if field == "author_bio" else "Writes about quokkas.",
        )
        image = Image.objects.create(
            file=ContentFile(jpeg_bytes(), name="hero.jpg"),
            alt=payload if field == "alt" else "A quokka",
            caption=payload if field == "caption" else "A quokka at dawn.",
            credit=payload if field == "credit" else "Staff",
        )
        values = {"body": "<p>The quokka story.</p>"}
        if field in ARTICLE_FIELDS:
            values[field] = payload
        if field == "body":
            values["body"] = f"{payload}<p>quokka</p>"
        article = make_article(
            section=section,
            authors=[author],
            hero_image=image,
            tags=[payload if field == "tag" else f"quokkas {n}"],
            published_at=timezone.now() - timedelta(hours=n + 1),
            **values,
        )
        if field == "correction":
            Correction.objects.create(article=article, text=payload)
        articles.append(article)
    return articles


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser("chief", "c@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client, user


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


# Each surface yields (url, kind) pairs for the articles made above.
def article_pages(articles, client):
    return [(a.get_absolute_url(), "html") for a in articles]


def listings(articles, client):
    return [
        ("/", "html"),
        (reverse("articles:section", args=["desk"]), "html"),
        *[(a.tagged_items.first().tag.get_absolute_url(), "html") for a in articles],
        *[(a.bylines.first().author.get_absolute_url(), "html") for a in articles],
    ]


def search_results(articles, client):
    return [("/search/?q=quokka", "html"), ("/search/?q=xss", "html")]


def corrections_page(articles, client):
    return [(reverse("articles:corrections"), "html")]


def feeds(articles, client):
    tag = articles[0].tagged_items.first().tag
    author = articles[0].bylines.first().author
    return [
        (reverse("articles:feed"), "xml"),
        (reverse("articles:feed_atom"), "xml"),
        (reverse("articles:section_feed", args=["desk"]), "xml"),
        (reverse("articles:tag_feed", args=[tag.slug]), "xml"),
        (reverse("articles:author_feed_atom", args=[author.slug]), "xml"),
    ]


def sitemaps(articles, client):
    return [
        (reverse("sitemap", kwargs={"section": name}), "xml")
        for name in ("articles", "sections", "tags", "authors")
    ] + [(reverse("news-sitemap"), "xml"), (reverse("sitemap-index"), "xml")]


def api(articles, client):
    try:
        urls = [(reverse("articles:api_articles"), "json")]
    except NoReverseMatch:
        pytest.skip("no JSON API in this build (no URL named articles:api_articles)")
    return urls + [
        (reverse("articles:api_article", args=[a.pk]), "json") for a in articles
    ]


def admin_changelists(articles, client):
    return [
        (f"/admin/articles/{model}/", "html")
        for model in ("article", "author", "tag", "image")
    ] + [("/admin/articles/article/?q=quokka", "html")]


def admin_history(articles, client):
    urls = [(f"/admin/articles/article/{articles[0].pk}/change/", "html")]
    for article in articles:
        urls += [
            (f"/admin/articles/article/{article.pk}/history/", "html"),
            (f"/admin/articles/article/{article.pk}/revisions/", "html"),
        ]
    return urls


SURFACES = {
    "article": (article_pages, False),
    "listings": (listings, False),
    "search": (search_results, False),
    "corrections": (corrections_page, False),
    "feeds": (feeds, False),
    "sitemaps": (sitemaps, False),
    "api": (api, False),
    "admin-changelist": (admin_changelists, True),
    "admin-history": (admin_history, True),
}


def record_history(articles, user):
    """What an editor's saves leave behind: a revision and a log entry."""
    content_type = ContentType.objects.get_for_model(Article)
    for article in articles:
        publishing.record_revision(article, by=user, note=article.headline)
        LogEntry.objects.create(
            user=user,
            content_type=content_type,
            object_id=str(article.pk),
            object_repr=str(article)[:200],
            action_flag=CHANGE,
            change_message=article.headline,
        )


def json_problems(body):
    """JSON must parse; its HTML values (ninjs `*_html`) must be harmless."""
    problems = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and key.endswith(("_html", "_xhtml")):
            problems.extend(html_problems(value))
        elif (
            isinstance(value, str)
            and key in ("uri", "href", "url")
            and value.strip().lower().startswith(("javascript:", "data:"))
        ):
            problems.append(f"{key}={value!r}")

    walk(json.loads(body))
    return problems


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("field", FIELDS)
def test_hostile_field_is_inert_on_surface(field, surface, admin_client):
    articles = hostile_articles(field)
    urls_for, needs_admin = SURFACES[surface]
    client = Client()
    if needs_admin:
        client, user = admin_client
        record_history(articles, user)
    problems = []
    for url, kind in urls_for(articles, client):
        body = fetch(client, url)
        if kind == "html":
            found = html_problems(body)
        elif kind == "xml":
            found = xml_problems(body.encode())
        else:
            found = json_problems(body)
        problems += [f"{url}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("field", FIELDS)
def test_json_ld_and_og_meta_carry_the_text_unchanged(field):
    """The structured data says exactly what the editor typed, as data."""
    for article in hostile_articles(field):
        body = fetch(Client(), article.get_absolute_url())
        blocks = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', body, re.S
        )
        assert blocks, "no JSON-LD"
        for block in blocks:
            assert "<" not in block, "markup characters must be escaped in JSON-LD"
            json.loads(block)
        if field == "headline":
            data = json.loads(blocks[0])
            assert data["headline"] == article.headline[: len(data["headline"])]
        og = re.findall(r'<meta property="og:[a-z:]+" content="([^"]*)"', body)
        assert og, "no Open Graph tags"
        assert not any("<" in value or ">" in value for value in og)


def test_search_query_is_echoed_inert():
    make_article(headline="Quokka census")
    for payload in PAYLOADS.values():
        body = fetch(Client(), "/search/?" + f"q={payload}".replace("&", "%26"))
        assert not html_problems(body), payload
