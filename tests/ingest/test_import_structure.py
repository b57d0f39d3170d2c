"""Imports keep the structure of what sources send: markup stays markup, a
picture opening a description becomes the hero, every author and the
language are kept."""

import pytest

from articles.models import Article
from tests.ingest.test_import_articles import FIXTURES, authors_of, run_import

STRUCTURE = FIXTURES / "structure"

pytestmark = pytest.mark.django_db


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
