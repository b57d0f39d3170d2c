"""Imports keep the structure of what sources send: markup stays markup, a
picture opening a description becomes the hero, every author and the
language are kept."""

import json

import pytest

from articles.ingest.ninjs import record_from_ninjs
from articles.ingest.parsers.fields import body_html
from articles.models import Article
from tests.factories import make_section
from tests.ingest.test_import_articles import (
    FIXTURES,
    authors_of,
    run_import,
    tags_of,
)

STRUCTURE = FIXTURES / "structure"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "body"),
    [
        ("Look <img src=x.jpg> here", "<p>Look <img src=x.jpg> here</p>"),
        ("H<sub>2</sub>O", "<p>H<sub>2</sub>O</p>"),
        ("Mail Ann <ann@example.org>", "<p>Mail Ann &lt;ann@example.org&gt;</p>"),
        ("If x < y and y > 3, <3", "<p>If x &lt; y and y &gt; 3, &lt;3</p>"),
    ],
)
def test_markup_is_html_and_angle_brackets_in_text_stay_text(value, body):
    assert body_html(value) == body


class TestFeedMarkup:
    def test_inline_markup_is_html_not_escaped_text(self):
        ok, _, err = run_import(STRUCTURE / "markup.rss")
        assert ok, err
        quay = Article.objects.get(source_uri="https://gazette.example/quay")
        assert quay.body == "<p>E = mc<sup>2</sup>, said the engineer.</p>"
        ferry = Article.objects.get(source_uri="https://gazette.example/ferry")
        assert "H<sub>2</sub>O" in ferry.body
        assert "&lt;" not in ferry.body and "&lt;" not in quay.body

    def test_a_picture_opening_the_description_is_the_hero(self):
        run_import(STRUCTURE / "markup.rss")
        ferry = Article.objects.get(source_uri="https://gazette.example/ferry")
        assert ferry.hero_image.source_uri == "https://gazette.example/ferry.jpg"
        assert ferry.hero_image.alt == "The ferry at the pier"
        assert ferry.body.startswith("<p>The winter timetable ends on Sunday.")
        assert "ferry.jpg" not in ferry.body

    def test_tracking_pixels_are_dropped(self):
        run_import(STRUCTURE / "markup.rss")
        ferry = Article.objects.get(source_uri="https://gazette.example/ferry")
        assert "tracker.example" not in ferry.body
        assert ferry.body.endswith("rise.</p>")

    def test_author_blocks_name_every_author(self):
        run_import(STRUCTURE / "markup.rss")
        ferry = Article.objects.get(source_uri="https://gazette.example/ferry")
        assert authors_of(ferry) == ["Ann Lee", "Bo Ek"]

    def test_channel_language_unless_the_item_says_otherwise(self):
        run_import(STRUCTURE / "markup.rss")
        ferry = Article.objects.get(source_uri="https://gazette.example/ferry")
        quay = Article.objects.get(source_uri="https://gazette.example/quay")
        assert ferry.language == "de-de"
        assert quay.language == "en-gb"
        assert authors_of(quay) == ["Cy Li"]

    def test_rss_1_rdf_with_dublin_core(self):
        ok, _, err = run_import(STRUCTURE / "rdf.rdf")
        assert ok, err
        bridge = Article.objects.get(source_uri="https://zeitung.example/brucke")
        assert bridge.headline == "Brücke wieder offen"
        assert bridge.body == "<p>Die Brücke ist seit heute wieder befahrbar.</p>"
        assert authors_of(bridge) == ["Dora Maar"]
        assert bridge.language == "de"
        assert bridge.published_at.isoformat() == "2024-03-04T07:00:00+00:00"

    def test_atom_xhtml_content_several_authors_and_xml_lang(self):
        ok, _, err = run_import(STRUCTURE / "xhtml.atom")
        assert ok, err
        phare = Article.objects.get(source_uri="urn:example:port:phare")
        assert phare.body == (
            "<p>Le phare <em>brille</em> de nouveau.</p><p>Les marins sont ravis.</p>"
        )
        assert authors_of(phare) == ["Ann Lee", "Bo Ek"]
        assert phare.language == "fr"
        lighthouse = Article.objects.get(source_uri="urn:example:port:lighthouse")
        assert lighthouse.language == "en"


def ninjs_record(line):
    return record_from_ninjs(json.loads(line), "line 1")


class TestNinjs:
    def test_pattern_properties_give_headline_body_and_deck(self):
        ok, _, err = run_import(STRUCTURE / "ninjs_patterns.jsonl")
        assert ok, err
        ferry = Article.objects.get(source_uri="urn:example:structure:ferry")
        assert ferry.headline == "Ferry strike ends"
        assert ferry.deck == "Crews return on Monday."
        assert ferry.body == "<p>The strike is over.</p><p>Crews return on Monday.</p>"
        assert ferry.language == "nb"

    def test_bylines_and_authors_objects_keep_their_roles(self):
        ferry, council = (STRUCTURE / "ninjs_patterns.jsonl").read_text().splitlines()
        record = ninjs_record(ferry)
        assert record.byline_roles == [
            {"name": "Kari Nordmann", "role": "Reporter"},
            {"name": "Ola Hansen", "role": "Fotograf"},
        ]  # the desk's internal entry is not a byline
        assert record.authors == ["Kari Nordmann", "Ola Hansen"]
        assert ninjs_record(council).byline_roles == [
            {"name": "Ann Lee", "role": "writer"},
            {"name": "Bo Ek", "role": "editor"},
        ]

    def test_located_is_the_dateline_and_the_embargo_is_kept(self):
        ferry = (STRUCTURE / "ninjs_patterns.jsonl").read_text().splitlines()[0]
        record = ninjs_record(ferry)
        assert record.dateline == "Bergen"
        assert record.embargoed_until.isoformat() == "2024-03-04T12:00:00+00:00"
        assert record.published_at == record.embargoed_until

    def test_authors_objects_name_the_authors_when_there_is_no_byline(self):
        run_import(STRUCTURE / "ninjs_patterns.jsonl")
        council = Article.objects.get(source_uri="urn:example:structure:council")
        assert authors_of(council) == ["Ann Lee", "Bo Ek"]
        assert council.body == "<p>The council met.</p><p>It agreed the budget.</p>"

    def test_withheld_takes_down_a_story_that_ran(self):
        run_import(STRUCTURE / "ninjs_patterns.jsonl")
        ok, out, err = run_import(STRUCTURE / "ninjs_withheld.json")
        assert ok, err
        assert "1 updated" in out
        council = Article.objects.get(source_uri="urn:example:structure:council")
        assert council.status == Article.Status.WITHDRAWN

    def test_a_kill_withdraws_the_story_even_when_edited_locally(
        self, client, django_assert_num_queries
    ):
        run_import(STRUCTURE / "ninjs_patterns.jsonl")
        council = Article.objects.get(source_uri="urn:example:structure:council")
        council.headline = "Council meets: budget agreed"
        council.save()
        ok, out, err = run_import(STRUCTURE / "ninjs_kill.json", status="published")
        assert ok, err
        assert "1 updated" in out
        council.refresh_from_db()
        assert council.status == Article.Status.WITHDRAWN
        assert council.headline == "Council meets: budget agreed"
        with django_assert_num_queries(4):
            assert client.get(council.get_absolute_url()).status_code == 410


class TestWordPress:
    def test_wxr_1_0_tags_nested_categories_and_attached_picture(self):
        sport = make_section(name="Sport", slug="sport")
        ok, _, err = run_import(STRUCTURE / "wordpress_1_0.xml")
        assert ok, err
        derby = Article.objects.get(source_uri="https://valley.example/?p=5")
        assert tags_of(derby) == ["Derby"]
        assert derby.section == sport  # Football is not a section: its parent is
        assert derby.hero_image.source_uri == (
            "https://valley.example/wp-content/uploads/goal.jpg"
        )

    def test_known_shortcodes_become_markup_and_others_keep_their_words(self):
        run_import(STRUCTURE / "wordpress_1_0.xml")
        body = Article.objects.get(source_uri="https://valley.example/?p=5").body
        assert body.startswith(
            "<p>The derby ended 1-1 [citation needed] after a late goal.</p>"
        )
        assert (
            '<figure><img src="https://valley.example/wp-content/uploads/goal.jpg" '
            'alt="The late goal" width="600" height="400">'
            "<figcaption>The equaliser in the 89th minute.</figcaption></figure>"
        ) in body
        assert (
            '<pre><code>score = {"home": 1, "away": 1}\n\n'
            'if score["home"] &lt; 2:\n    print("level")</code></pre>'
        ) in body
        assert body.endswith('<p>[gallery ids="6,7"] Fans sang after the whistle.</p>')
