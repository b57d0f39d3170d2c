"""Contributors with roles, and the structured dateline, on every surface.

"By Ann Lee with The Associated Press and Bo Ek · Additional reporting by Cy
Dunn · Photographs by Di Fox", and "CAIRO —" opening the first paragraph.
"""

import json
import re

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import publishing
from articles.models import Article, Byline
from articles.publishing import BylineRow
from tests.factories import make_article, make_author, make_section
from tests.ninjs_schema import needs_schemas, schema_errors

pytestmark = pytest.mark.django_db
Role = Byline.Role


@pytest.fixture
def team():
    return {
        name.split()[0].lower(): make_author(
            name=name, slug=name.lower().replace(" ", "-")
        )
        for name in ("Ann Lee", "Bo Ek", "Cy Dunn", "Di Fox", "Ed Gray")
    }


@pytest.fixture
def story(team):
    article = make_article(
        section=make_section(name="World", slug="world"),
        headline="Ferry talks resume",
        body="<p>Ministers met.</p><p>Talks go on.</p>",
        dateline_place="CAIRO",
        authors=[],
    )
    publishing.set_bylines(
        article,
        [
            BylineRow(team["ann"], suffix="with The Associated Press"),
            team["bo"],
            BylineRow(team["cy"], Role.ADDITIONAL_REPORTING),
            BylineRow(team["di"], Role.PHOTOGRAPHER),
        ],
    )
    return article


LINE = (
    "By Ann Lee with The Associated Press and Bo Ek · Additional reporting by "
    "Cy Dunn · Photographs by Di Fox"
)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found[1])


class TestWritePath:
    def test_roles_and_suffixes_are_kept_in_order(self, story, team):
        rows = list(story.bylines.values_list("author__name", "role", "suffix"))
        assert rows == [
            ("Ann Lee", "writer", "with The Associated Press"),
            ("Bo Ek", "writer", ""),
            ("Cy Dunn", "reporting", ""),
            ("Di Fox", "photographer", ""),
        ]

    def test_a_role_changed_alone_is_written(self, story, team):
        publishing.set_bylines(story, [BylineRow(team["ann"], Role.TRANSLATOR)])
        assert list(story.bylines.values_list("role", flat=True)) == ["translator"]

    def test_a_photographer_alone_is_no_byline(self, team):
        article = make_article(authors=[], status=Article.Status.DRAFT)
        with pytest.raises(ValidationError, match="no byline or credit"):
            publishing.update(
                article,
                by=None,
                status=Article.Status.PUBLISHED,
                authors=[BylineRow(team["di"], Role.PHOTOGRAPHER)],
            )
        publishing.update(
            article,
            by=None,
            status=Article.Status.PUBLISHED,
            credit="Reuters",
            authors=[BylineRow(team["di"], Role.PHOTOGRAPHER)],
        )
        article.refresh_from_db()
        assert article.is_live

    def test_restoring_a_revision_brings_back_roles_and_the_dateline(self, story, team):
        revision = publishing.update(story, by=None, note="roles").revisions.get(
            number=story.version
        )
        publishing.update(
            story, by=None, dateline_place="", authors=[team["ed"]], note="plain"
        )
        publishing.restore(revision, by=None)
        story.refresh_from_db()
        assert story.dateline_place == "CAIRO"
        assert list(story.bylines.values_list("role", "suffix"))[::3] == [
            ("writer", "with The Associated Press"),
            ("photographer", ""),
        ]


class TestArticlePage:
    def test_the_byline_names_each_role(self, client, story):
        html = page(client, story)
        byline = re.search(r'<p class="byline">.*?</p>', html, re.S)[0]
        assert text_of(byline) == LINE
        assert byline.count('rel="author"') == 2  # the writers

    def test_the_dateline_opens_the_first_paragraph(self, client, story):
        html = page(client, story)
        assert (
            '<p><span class="story-dateline">CAIRO —</span> Ministers met.</p>' in html
        )
        assert html.count("story-dateline") == 1

    def test_date_and_agency_follow_the_place(self, client, story):
        publishing.update(
            story, by=None, dateline_date="Dec. 3", dateline_source="Reuters"
        )
        assert '"story-dateline">CAIRO, Dec. 3 (Reuters) —</span>' in page(
            client, story
        )

    def test_no_dateline_no_mark(self, client, story):
        publishing.update(story, by=None, dateline_place="")
        assert "story-dateline" not in page(client, story)

    def test_json_ld_names_writers_as_authors_and_the_others_as_contributors(
        self, client, story
    ):
        data = json_ld(page(client, story))
        assert [a["name"] for a in data["author"]] == ["Ann Lee", "Bo Ek"]
        assert [c["name"] for c in data["contributor"]] == ["Cy Dunn", "Di Fox"]
        assert data["locationCreated"] == {"@type": "Place", "name": "CAIRO"}

    def test_more_bylines_cost_no_query(self, client, story, team):
        plain = make_article(section=story.section, authors=[team["ed"]])
        client.get("/")  # warm the navigation cache
        counts = []
        for article in (plain, story):
            with CaptureQueriesContext(connection) as queries:
                page(client, article)
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestAuthorPage:
    def test_a_photographers_stories_carry_the_badge(self, client, story, team):
        make_article(section=story.section, headline="Her own", authors=[team["di"]])
        response = client.get("/author/di-fox/")
        assert response.status_code == 200
        cards = response.content.decode().split('<article class="card')[1:]
        by_headline = {re.search(r'">([^<]+)</a></h3>', c)[1]: c for c in cards}
        assert (
            '<span class="card__badge">Photographs</span>'
            in (by_headline["Ferry talks resume"])
        )
        assert "card__badge" not in by_headline["Her own"]

    def test_the_badge_costs_no_query(self, client, story, team, settings):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        client.get("/author/di-fox/")  # warm the navigation cache
        with CaptureQueriesContext(connection) as few:
            assert client.get("/author/di-fox/").status_code == 200
        for _ in range(5):
            article = make_article(section=story.section, authors=[])
            publishing.set_bylines(
                article,
                [team["ann"], BylineRow(team["di"], Role.PHOTOGRAPHER), team["bo"]],
            )
        client.get("/author/di-fox/")  # the navigation again, after the writes
        with CaptureQueriesContext(connection) as many:
            html = client.get("/author/di-fox/").content.decode()
        assert html.count('<span class="card__badge">Photographs</span>') == 6
        assert len(many) == len(few)


class TestFeeds:
    def test_rss_creators_are_the_writers(self, client, story):
        response = client.get("/feed/")
        assert response.status_code == 200
        item = re.search(r"<item>.*?</item>", response.content.decode(), re.S)[0]
        assert re.findall(r"<dc:creator>(.*?)</dc:creator>", item) == [
            "Ann Lee",
            "Bo Ek",
        ]
        assert re.findall(r"<dc:contributor>(.*?)</dc:contributor>", item) == [
            "Cy Dunn",
            "Di Fox",
        ]
        assert (
            "CAIRO —" in feedparser.parse(response.content).entries[0].content[0].value
        )

    def test_atom_authors_are_the_writers(self, client, story):
        response = client.get("/feed/atom/")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        entry = feed.entries[0]
        assert [a.name for a in entry.authors] == ["Ann Lee", "Bo Ek"]
        assert [c.name for c in entry.contributors] == ["Cy Dunn", "Di Fox"]
        assert entry.contributors[1].href.endswith("/author/di-fox/")


class TestNinjs:
    @needs_schemas
    def test_by_located_and_people(self, client, story):
        response = client.get(f"/api/articles/{story.pk}/")
        assert response.status_code == 200
        item = response.json()
        assert item["by"] == LINE.removeprefix("By ")
        assert item["located"] == "CAIRO"
        assert [(p["name"], p["rel"]) for p in item["people"]] == [
            ("Ann Lee", "byline:writer"),
            ("Bo Ek", "byline:writer"),
            ("Cy Dunn", "byline:reporting"),
            ("Di Fox", "byline:photographer"),
        ]
        assert item["people"][3]["uri"].endswith("/author/di-fox/")
        assert schema_errors(item) == []

    def test_a_story_without_dateline_or_people_says_neither(self, client, team):
        article = make_article(authors=[], credit="NTB")
        item = client.get(f"/api/articles/{article.pk}/").json()
        assert "located" not in item
        assert "people" not in item
        assert item["by"] == "NTB"
