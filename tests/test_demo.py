"""The demo content loads, makes a believable site, and is safe to re-run."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Author, Byline, Image, RelatedLink, Section
from articles.related import related_for_page

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Byline, Image, Section, RelatedLink)
    }


def test_load_demo_twice_creates_nothing_new(client):
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert (
        get_user_model().objects.filter(username="admin", is_superuser=True).count()
        == 1
    )


def test_demo_is_a_believable_site(client):
    call_command("load_demo", stdout=StringIO())
    live = Article.objects.published()
    assert live.count() >= 30
    assert Section.objects.filter(articles__in=live).distinct().count() >= 4
    assert Author.objects.count() >= 8
    assert Author.objects.exclude(photo="").exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 2
    assert Article.objects.scheduled().count() >= 1
    assert any(len(a.byline_authors) >= 2 for a in live)
    assert live.filter(body__contains="<h2>").count() >= 30
    assert live.filter(body__contains="<a href=").count() >= 20
    for article in live:
        assert related_for_page(article), f"{article.slug} has no related links"
    home = client.get("/")
    assert home.status_code == 200
    article = live.exclude(hero_image=None).first()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_demo_prints_how_to_log_in():
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "admin" in text and "newsroom-demo" in text
    assert "Demo loaded:" in text
