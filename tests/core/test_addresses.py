"""Addresses built from stored fields are the ones reverse() gives."""

from datetime import UTC, datetime

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from articles.addresses import article_path, site_paths, slug_path
from articles.models import Article, Author, Section, Tag

SLUGS = ["budget-vote", "zürich-vote", "東京-olympics", "a_b-2", "x"]


@pytest.mark.parametrize("slug", SLUGS)
def test_slug_pages_match_reverse(slug):
    for name in ("articles:section", "articles:tag", "articles:author"):
        assert slug_path(name, slug) == reverse(name, args=[slug])


@pytest.mark.parametrize("slug", SLUGS)
def test_article_addresses_match_reverse(slug, settings):
    settings.TIME_ZONE = "Europe/Rome"
    # 23:30 UTC on 31 December is already 1 January in Rome.
    when = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    expected = reverse(
        "articles:detail",
        kwargs={"year": 2026, "month": 1, "day": 1, "slug": slug},
    )
    assert article_path(when, slug) == expected
    assert Article(slug=slug, published_at=when).get_absolute_url() == expected


def test_models_use_them():
    assert Section(slug="world").get_absolute_url() == "/section/world/"
    assert Tag(slug="harbour").get_absolute_url() == "/tag/harbour/"
    assert Author(slug="ana-ruiz").get_absolute_url() == "/author/ana-ruiz/"


def test_a_site_under_a_prefix_links_under_it():
    set_script_prefix("/news/")
    try:
        assert slug_path("articles:tag", "harbour") == "/news/tag/harbour/"
        assert slug_path("articles:tag", "harbour") == reverse(
            "articles:tag", args=["harbour"]
        )
    finally:
        clear_script_prefix()
    assert slug_path("articles:tag", "harbour") == "/tag/harbour/"


def test_what_reverse_refuses_is_still_refused():
    with pytest.raises(NoReverseMatch):
        slug_path("articles:tag", "two words")
    with pytest.raises(NoReverseMatch):
        article_path(datetime(2025, 1, 1, tzinfo=UTC), "")


@pytest.mark.django_db
def test_header_and_footer_link_under_the_prefix(client, settings):
    # Django adds the prefix to STATIC_URL when it is first read and keeps it:
    # overridden here, it is read again after this test, without the prefix.
    settings.STATIC_URL = "/static/"
    set_script_prefix("/news/")
    try:
        html = client.get("/").content.decode()
    finally:
        clear_script_prefix()
    for link in (
        'href="/news/"',
        'action="/news/search/"',
        'href="/news/feed/"',
        'href="/news/corrections/"',
        'href="/news/newsletters/"',
    ):
        assert link in html
    assert 'href="/corrections/"' not in html


@pytest.mark.django_db
def test_a_site_without_newsletters_links_to_none(client, settings):
    settings.ROOT_URLCONF = "tests.core.urls_without_newsletters"
    assert site_paths()["newsletters"] == ""
    html = client.get("/").content.decode()
    assert "site-footer__newsletters" not in html
    assert 'href="/corrections/"' in html
