"""Credits on every public surface: cards, JSON-LD, feeds and the ninjs API.

People are linked and named; the credit (an agency or a source) follows them
("Jane Doe, Reuters") or stands alone for agency copy ("NTB").
"""

import json
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_author, make_section
from tests.ninjs_schema import needs_schemas, schema_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    section = make_section(name="World", slug="world")
    jane = make_author(name="Jane Doe", slug="jane-doe")
    john = make_author(name="John Roe", slug="john-roe")
    return {
        "agency": make_article(
            section=section,
            headline="Talks resume",
            authors=[jane, john],
            credit="Reuters",
        ),
        "wire": make_article(
            section=section, headline="Ferry traffic resumes", authors=[], credit="NTB"
        ),
    }


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD script on the page"
    return json.loads(match.group(1))


def section_page(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/section/world/")
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_cards_show_people_and_the_credit_at_no_cost(client, stories):
    html, queries = section_page(client)
    assert '<span class="card__authors">Jane Doe and John Roe, Reuters</span>' in html
    assert '<span class="card__authors">NTB</span>' in html
    for n in range(4):
        make_article(
            section=stories["wire"].section,
            headline=f"Wire {n}",
            authors=[make_author()],
            credit=f"Agency {n}",
        )
    html, more_queries = section_page(client)
    assert html.count("Agency ") == 4
    assert more_queries == queries


def test_article_pages_show_and_describe_the_credit(client, stories):
    html = client.get(stories["agency"].get_absolute_url()).content.decode()
    assert (
        '<p class="byline">By <a href="/author/jane-doe/" rel="author">Jane Doe</a>'
        ' and <a href="/author/john-roe/" rel="author">John Roe</a>'
        '<span class="byline__credit">, Reuters</span></p>'
    ) in html
    data = json_ld(html)
    assert [a["@type"] for a in data["author"]] == ["Person", "Person"]
    assert [a["name"] for a in data["author"]] == ["Jane Doe", "John Roe"]
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "Reuters"}

    html = client.get(stories["wire"].get_absolute_url()).content.decode()
    assert '<p class="byline">NTB</p>' in html
    data = json_ld(html)
    assert data["author"] == [{"@type": "Organization", "name": "NTB"}]
    assert "sourceOrganization" not in data


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/section/world/feed/atom/"])
def test_feeds_credit_agency_copy_and_name_the_agency_of_people(client, stories, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    entries = {e.title: e for e in feed.entries}
    agency, wire = entries["Talks resume"], entries["Ferry traffic resumes"]
    assert [a.name for a in agency.authors] == ["Jane Doe", "John Roe"]
    assert [c.name for c in agency.contributors] == ["Reuters"]
    assert [a.name for a in wire.authors] == ["NTB"]
    assert "contributors" not in wire


@needs_schemas
def test_the_api_gives_the_credit_in_by_and_infosources(client, stories):
    item = client.get(f"/api/articles/{stories['agency'].pk}/").json()
    assert item["by"] == "Jane Doe and John Roe, Reuters"
    assert item["infosources"] == [{"name": "Reuters"}]
    assert "copyrightholder" not in item
    assert schema_errors(item) == []
    item = client.get(f"/api/articles/{stories['wire'].pk}/").json()
    assert item["by"] == "NTB" and item["infosources"] == [{"name": "NTB"}]
    assert schema_errors(item) == []
