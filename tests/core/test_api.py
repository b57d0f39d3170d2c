from datetime import timedelta

import pytest
from django.utils import timezone

from articles.api import article_to_ninjs
from articles.freshness import content_changed
from articles.models import Article
from tests.factories import make_article, make_author, make_section
from tests.ninjs_schema import (
    EMITTED_VERSION,
    make_realistic_articles,
    needs_schemas,
    schema_errors,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    world = make_section(name="World", slug="world")
    ada = make_author(name="Ada Reporter", slug="ada")
    ben = make_author(name="Ben Second", slug="ben")
    lead = make_article(
        headline="Harbour reopens",
        deck="Ships return.",
        section=world,
        authors=[ada, ben],
        tags=["Harbour"],
        published_at=timezone.now() - timedelta(hours=1),
    )
    old = make_article(
        headline="Old news",
        published_at=timezone.now() - timedelta(days=10),
    )
    return lead, old


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_list_emits_ninjs_2(client, newsroom):
    lead, old = newsroom
    data = get_json(client, "/api/articles/")
    assert data["count"] == 2 and data["page"] == 1 and data["next"] is None
    first = data["results"][0]
    assert first["standard"]["version"] == EMITTED_VERSION
    assert first["type"] == "text" and first["pubstatus"] == "usable"
    assert first["headlines"] == [{"role": "main", "value": "Harbour reopens"}]
    assert first["by"] == "Ada Reporter and Ben Second"
    assert first["subjects"] == [{"name": "Harbour"}]
    assert first["uri"] and first["versioncreated"]
    assert first["firstcreated"] == lead.published_at.isoformat().replace("+00:00", "Z")
    assert [item["headlines"][0]["value"] for item in data["results"]] == [
        "Harbour reopens",
        "Old news",
    ]


@needs_schemas
def test_every_item_validates_against_the_official_ninjs_schema(client):
    articles = make_realistic_articles()
    data = get_json(client, "/api/articles/")
    assert [item["headlines"][0]["value"] for item in data["results"]] == [
        "Harbour reopens",
        "Brief",
        "Council votes on budget",
    ]
    for item in data["results"]:
        assert schema_errors(item) == [], item["headlines"]
    detail = get_json(client, f"/api/articles/{articles['lead'].pk}/")
    assert schema_errors(detail) == []


def test_the_web_page_is_a_rendition_and_the_picture_keeps_its_renditions(
    client, settings
):
    settings.SITE_URL = "https://news.example"
    lead = make_realistic_articles()["lead"]
    item = get_json(client, f"/api/articles/{lead.pk}/")
    assert item["standard"] == {
        "name": "ninjs",
        "version": "2.1",
        "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
    }
    assert item["renditions"] == [
        {
            "name": "web",
            "href": "https://news.example" + lead.get_absolute_url(),
            "contenttype": "text/html",
        }
    ]
    (picture,) = item["associations"]
    assert picture["uri"] == "https://photos.example/harbour/1"
    assert picture["by"] == "Cy Photographer"
    assert [(r["name"], r.get("contenttype")) for r in picture["renditions"]] == [
        ("original", "image/jpeg"),
        ("thumbnail", "image/jpeg"),
        ("viewImage", None),
    ]


def test_detail_uses_the_export_mapping(client, newsroom):
    lead, _ = newsroom
    data = get_json(client, f"/api/articles/{lead.pk}/")
    article = Article.objects.prefetch_related("bylines__author", "tags").get(
        pk=lead.pk
    )
    assert data == article_to_ninjs(article)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"section": "world"}, ["Harbour reopens"]),
        ({"tag": "harbour"}, ["Harbour reopens"]),
        ({"author": "ben"}, ["Harbour reopens"]),
        ({"section": "nowhere"}, []),
        ({"since": "2000-01-01"}, ["Harbour reopens", "Old news"]),
    ],
)
def test_filters(client, newsroom, params, expected):
    data = get_json(client, "/api/articles/", **params)
    assert [item["headlines"][0]["value"] for item in data["results"]] == expected


def test_since_filters_by_change_or_publication(client, newsroom):
    since = (timezone.now() - timedelta(days=2)).isoformat()
    data = get_json(client, "/api/articles/", since=since)
    assert [i["headlines"][0]["value"] for i in data["results"]] == [
        "Harbour reopens",
        "Old news",  # updated just now (created by the fixture)
    ]
    Article.objects.filter(headline="Old news").update(
        updated_at=timezone.now() - timedelta(days=9)
    )
    content_changed()  # update() sends no signals
    data = get_json(client, "/api/articles/", since=since)
    assert [i["headlines"][0]["value"] for i in data["results"]] == ["Harbour reopens"]


@pytest.mark.parametrize(
    "since, expected",
    [
        # Offsets no place uses, but valid ISO 8601: compared as the same instant.
        ("2024-01-01T00:00:00-23:59", ["Harbour reopens", "Old news"]),
        ("2024-01-01T00:00:00+23:59", ["Harbour reopens", "Old news"]),
        # The first and last moments a date-time can name, with an offset that
        # puts them out of range in UTC: before everything, after everything.
        ("0001-01-01T00:00:00+01:00", ["Harbour reopens", "Old news"]),
        ("0001-01-01T00:00:00-01:00", ["Harbour reopens", "Old news"]),
        ("9999-12-31T23:59:59-14:00", []),
        ("9999-12-31T23:59:59+14:00", []),
        ("9999-12-31T23:59:59.999999-00:01", []),
        ("0001-01-01", ["Harbour reopens", "Old news"]),
        ("9999-12-31", []),
    ],
)
def test_since_at_the_edges_of_the_calendar(client, newsroom, since, expected):
    data = get_json(client, "/api/articles/", since=since)
    assert [item["headlines"][0]["value"] for item in data["results"]] == expected


def test_since_the_first_day_in_a_zone_east_of_utc(client, newsroom, settings):
    # A date is read in the site's zone: midnight of 1 January, year 1, in
    # Auckland is still year 0 in UTC.
    settings.TIME_ZONE = "Pacific/Auckland"
    data = get_json(client, "/api/articles/", since="0001-01-01")
    assert data["count"] == 2


def test_pagination(client):
    section = make_section()
    for _ in range(25):
        make_article(section=section)
    data = get_json(client, "/api/articles/", page=1)
    assert data["count"] == 25 and data["pages"] == 2 and len(data["results"]) == 20
    assert data["next"].endswith("/api/articles/?page=2")
    second = get_json(client, "/api/articles/", page=2)
    assert len(second["results"]) == 5 and second["previous"].endswith("page=1")


@pytest.mark.parametrize(
    "params, status",
    [
        ({"page": "abc"}, 404),
        ({"page": "99"}, 404),
        ({"since": "yesterday"}, 400),
        ({"since": "2024-13-45"}, 400),
        ({"since": "2024-01-01T00:00:00+99:00"}, 400),
        ({"since": "2024-01-01T00:00:00+24:00"}, 400),
        ({"since": "10000-01-01"}, 400),
        ({"tag": "\x00"}, 400),
    ],
)
def test_bad_parameters_are_clean_json_errors(client, newsroom, params, status):
    assert "error" in get_json(client, "/api/articles/", status=status, **params)


def test_an_impossible_offset_gets_an_example_of_a_valid_one(client, newsroom):
    data = get_json(
        client, "/api/articles/", status=400, since="2024-01-01T00:00:00+99:00"
    )
    assert data == {
        "error": "`since` must be an ISO 8601 date or date-time, "
        "e.g. 2025-03-01 or 2025-03-01T12:00:00+01:00."
    }


def test_unknown_articles_are_json_404s(client):
    assert "error" in get_json(client, "/api/articles/999999/", status=404)
    assert client.get("/api/articles/99999999999999999999999/").status_code == 404


def test_query_count_does_not_grow(client, settings, django_assert_max_num_queries):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = make_section()
    for _ in range(15):
        make_article(section=section, authors=[make_author(), make_author()])
    with django_assert_max_num_queries(5):
        client.get("/api/articles/")


def test_read_only(client, newsroom):
    assert client.post("/api/articles/").status_code == 405
    assert client.delete(f"/api/articles/{newsroom[0].pk}/").status_code == 405
    assert client.head("/api/articles/").status_code == 200
