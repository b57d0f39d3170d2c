"""Saved article pages (HTML): two real pages (read in place from
../shared/fixtures) and small pages written for the project."""

import io
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from hypothesis import strategies as st

from articles.ingest.records import ArticleRecord, SourceError
from articles.ingest.sources import PARSERS
from articles.models import Article

from .test_import_articles import FIXTURES, SHARED, authors_of, run_import, tags_of

PAGES = FIXTURES / "pages"
REAL = SHARED / "real" / "pages"
WAPO = REAL / "wapo-1_source.html"
LIBERATION = REAL / "liberation-1_source.html"
real_files = pytest.mark.skipif(
    not REAL.is_dir(), reason="real-world fixtures (../shared/fixtures/real) absent"
)


def parse(stream, **options):
    return PARSERS["html"](stream, **options)


def record_of(path, **options):
    with open(path, "rb") as stream:
        [record] = parse(stream, **options)
    return record


def paragraphs(article):
    return article.body.count("<p>")


@real_files
@pytest.mark.django_db
class TestRealPages:
    def test_washington_post_byline_from_the_page_not_the_extractor(self):
        ok, out, err = run_import(WAPO)
        assert ok, err
        assert "saved article page (HTML)" in out
        story = Article.objects.get()
        assert (
            story.source_uri
            == story.canonical_url
            == (
                "http://www.washingtonpost.com/world/gunmen-storm-museum-in-tunisia-"
                "killing-at-least-8/2015/03/18/00202e76-cd73-11e4-8730-4f473416e759_story"
                ".html"
            )
        )
        assert story.headline == "Attack stokes instability fears in North Africa"
        assert story.deck.startswith("The assault on Tunisia’s most renowned museum")
        # trafilatura says "Username"; the page's byline says Erin Cunningham.
        assert authors_of(story) == ["Erin Cunningham"] and story.credit == ""
        # Only the day is known (the page shows "March 18 at 3:57 PM", no year).
        assert story.published_at.isoformat() == "2015-03-18T00:00:00+00:00"
        assert story.language == "en"  # the page declares none: the default
        assert paragraphs(story) == 35
        # The dateline is kept apart from the first paragraph.
        assert story.body.startswith("<p>Gunmen opened fire on visitors at")
        assert "bardo museum" in tags_of(story) and len(tags_of(story)) == 15
        assert story.hero_image.source_uri == (
            "http://img.washingtonpost.com/rw/2010-2019/WashingtonPost/2015/03/18/"
            "Foreign/Images/Nic6429927.jpg"
        )
        record = record_of(WAPO)
        assert record.published_date_only and record.dateline == "CAIRO"

    def test_liberation_agency_story_is_credited_to_the_agency(self):
        ok, _, err = run_import(LIBERATION)
        assert ok, err
        story = Article.objects.get()
        assert story.headline == "Un troisième Français mort dans le séisme au Népal"
        assert story.deck == (
            "Laurent Fabius a accueilli jeudi matin à Roissy un premier avion "
            "spécial ramenant des rescapés."
        )
        # The page's author markup (schema.org and article:author) is AFP.
        # "Par Sébastien Farcis" is the byline of a related story in an aside.
        assert authors_of(story) == [] and story.credit == "AFP"
        # "2015-04-30T07:19:58" has no zone: the site's (UTC in tests).
        assert story.published_at.isoformat() == "2015-04-30T07:19:58+00:00"
        assert story.language == "fr"
        assert paragraphs(story) == 4
        assert story.section.slug == "news"  # no section "Monde" here
        assert tags_of(story) == []  # its keywords ("actualités, news") are the site's
        picture = story.hero_image
        # The og:image address was escaped twice ("&amp;amp;") in the page.
        assert picture.source_uri == (
            "http://md1.libe.com/photo/755923-000_hkg10175905.jpg"
            "?modified_at=1430371146&width=750"
        )
        assert picture.alt == "Un Népalais prie à Katmandou, le 30 avril 2015."
        assert picture.caption == (
            "Un Népalais prie à Katmandou, le 30 avril 2015. "
            "(Photo Prakash Mathema. AFP)"
        )

    def test_liberation_times_in_the_site_or_source_zone(self, settings):
        settings.TIME_ZONE = "Europe/Paris"
        record = record_of(LIBERATION)
        assert record.published_at.isoformat() == "2015-04-30T05:19:58+00:00"
        assert record.updated_at.isoformat() == "2015-04-30T05:38:17+00:00"
        assert not record.published_date_only
        record = record_of(LIBERATION, zone=ZoneInfo("Asia/Kathmandu"))
        assert record.published_at.isoformat() == "2015-04-30T01:34:58+00:00"
        assert record.section == ["Monde"]

    def test_a_second_import_changes_nothing(self):
        ok, out, _ = run_import(REAL)
        assert ok and "2 created, 0 updated, 0 unchanged, 0 skipped, 0 failed" in out
        ok, out, _ = run_import(REAL)
        assert ok and "0 created, 0 updated, 2 unchanged, 0 skipped, 0 failed" in out


@pytest.mark.django_db
class TestPageImport:
    def test_page_with_only_open_graph_metadata(self):
        ok, out, err = run_import(PAGES / "og_only.html")
        assert ok, err
        story = Article.objects.get()
        assert story.source_uri == (
            "https://coastal.example.org/news/2024/06/03/lighthouse-keepers-return"
        )
        assert story.headline == "Lighthouse keepers return to Skerry Point"
        assert story.deck == "The light is staffed again for the first time since 1989."
        # The visible byline, not the one of a story in "Most read" or the footer.
        assert authors_of(story) == ["Sam Poe"]
        assert story.published_at.isoformat() == "2024-06-03T06:30:00+00:00"
        assert tags_of(story) == ["Lighthouses", "Skerry Point"]
        assert story.language == "en-GB"
        assert paragraphs(story) == 3
        assert story.body.startswith("<p>For the first time in thirty-five years")
        assert story.hero_image.source_uri == (
            "https://coastal.example.org/img/skerry.jpg?w=1200&h=800"
        )
        assert story.hero_image.alt == "The Skerry Point lighthouse at dusk"
        record = record_of(PAGES / "og_only.html")
        assert record.dateline == "SKERRY POINT"
        assert record.section == ["Local"]
        assert record.updated_at.isoformat() == "2024-06-03T08:10:00+00:00"

    def test_generic_author_names_are_not_bylines(self):
        ok, out, err = run_import(PAGES / "generic_author.html")
        assert ok, err
        story = Article.objects.get()
        assert authors_of(story) == [] and story.credit == ""
        assert "no byline or credit" in out
        assert story.source_uri == "https://towncrier.example.org/council-cycle-lanes"
        assert story.published_at.isoformat() == "2024-04-12T00:00:00+00:00"
        assert record_of(PAGES / "generic_author.html").published_date_only

    def test_linked_data_comes_first(self):
        ok, _, err = run_import(PAGES / "linked_data.html")
        assert ok, err
        story = Article.objects.get()
        assert story.headline == "Dockers vote to strike over night shifts"
        assert story.deck == "Nine in ten members backed a walkout."
        assert authors_of(story) == ["Jane Roe"] and story.credit == "Reuters"
        assert story.published_at.isoformat() == "2024-07-09T16:45:00+00:00"
        assert tags_of(story) == ["Ports", "Strikes"]
        assert story.language == "nl"
        assert story.body.startswith("<p>Dockers at the country's largest port")
        assert story.hero_image.caption == "Dockers at the union meeting."
        assert story.hero_image.credit == "Piet Smit/Reuters"
        record = record_of(PAGES / "linked_data.html")
        assert record.dateline == "ROTTERDAM"
        assert record.section == ["Business", "Labour"]

    def test_a_page_in_a_legacy_encoding_reads_without_mojibake(self, tmp_path):
        page = (PAGES / "og_only.html").read_text()
        page = page.replace('charset="utf-8"', 'charset="windows-1252"')
        page = page.replace(
            "Lighthouse keepers return", "Phare: les gardiens reviennent"
        )
        page = page.replace("For the first time", "Pour la première fois, à l’été,")
        (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
        ok, out, err = run_import(tmp_path / "page.html")
        assert ok, err
        story = Article.objects.get()
        assert story.headline == "Phare: les gardiens reviennent to Skerry Point"
        assert story.body.startswith("<p>Pour la première fois, à l’été, in")

    def test_a_page_without_identity_is_known_by_its_content(self, tmp_path):
        page = (PAGES / "og_only.html").read_text().replace("og:url", "og:nothing")
        (tmp_path / "a.html").write_text(page)
        (tmp_path / "b.html").write_text(page)
        ok, out, _ = run_import(tmp_path / "a.html", tmp_path / "b.html")
        assert ok and "1 created" in out and "appears earlier in this run" in out
        assert Article.objects.get().source_uri.startswith("page:sha256:")

    def test_a_second_import_changes_nothing(self):
        ok, out, _ = run_import(PAGES)
        assert ok and "3 created" in out
        ok, out, _ = run_import(PAGES)
        assert ok and "0 created, 0 updated, 3 unchanged, 1 skipped" in out

    def test_scraped_text_pages_are_still_their_own_format(self, tmp_path):
        (tmp_path / "page.txt").write_text(
            "date 2024-11-07 Home\nFerry returns\nThe ferry is back.\n"
            "It sailed at nine.\n"
        )
        ok, out, err = run_import(tmp_path / "page.txt")
        assert ok, err
        assert "scraped text page" in out


@pytest.mark.django_db
class TestPagesThatAreNotArticles:
    def test_in_a_folder_it_is_skipped_with_the_reason(self):
        ok, out, _ = run_import(PAGES)
        assert ok
        assert (
            f"skipped {PAGES / 'contact.html'}: not imported: an HTML page without "
            "an article (no og:type article, schema.org article data or <article> "
            "element)"
        ) in out

    def test_named_it_fails_in_one_line(self):
        ok, _, err = run_import(PAGES / "contact.html")
        assert not ok
        failures = [line for line in err.splitlines() if line.startswith("failed")]
        assert failures == [
            f"failed {PAGES / 'contact.html'}: an HTML page without an article (no "
            "og:type article, schema.org article data or <article> element)"
        ]

    def test_forced_as_a_page_it_fails_in_one_line(self):
        ok, _, err = run_import(PAGES / "contact.html", format="html")
        assert not ok
        assert "contact.html: not a saved article page: no og:type article" in err
        assert "Traceback" not in err

    def test_a_page_over_the_size_limit_fails(self, tmp_path, settings):
        settings.NEWSROOM_IMPORT_MAX_BODY = 100
        ok, _, err = run_import(PAGES / "og_only.html")
        assert not ok
        assert "og_only.html: the page is larger than 1000 characters, the limit" in err
        assert not Article.objects.exists()

    def test_a_page_with_too_many_elements_fails(self, tmp_path):
        page = (PAGES / "og_only.html").read_text()
        page = page.replace("</body>", "<span>x</span>" * 60_000 + "</body>")
        (tmp_path / "huge.html").write_text(page)
        ok, _, err = run_import(tmp_path / "huge.html")
        assert not ok
        assert "huge.html: the page has 60,0" in err
        assert "elements, over the 50,000 limit for a saved page" in err

    def test_a_malformed_picture_address_leaves_the_picture_out(self, tmp_path):
        page = (PAGES / "og_only.html").read_text()
        page = page.replace("https://coastal.example.org/img/", "http://[coastal/")
        (tmp_path / "page.html").write_text(page)
        ok, _, err = run_import(tmp_path / "page.html")
        assert ok, err
        assert Article.objects.get().hero_image is None


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(
    cut=st.integers(min_value=0, max_value=3000), noise=st.binary(max_size=40)
)
def test_damaged_pages_give_a_record_or_a_clean_error(cut, noise):
    """Whatever the damage, the parser yields a record or raises SourceError."""
    data = (PAGES / "linked_data.html").read_bytes()
    try:
        items = list(parse(io.BytesIO(data[:cut] + noise + data[cut:])))
    except SourceError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert [type(item) for item in items] == [ArticleRecord]
