"""NewsML-G2: agencies' real files (read in place from ../shared/fixtures) and
small files written for the project, with and without the G2 namespace."""

import io
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from hypothesis import strategies as st

from articles.ingest.records import ArticleRecord, Failed, Skipped, SourceError
from articles.ingest.sources import PARSERS
from articles.models import Article

from .test_import_articles import FIXTURES, SHARED, authors_of, run_import, tags_of

G2 = FIXTURES / "newsml"
REAL = SHARED / "real" / "newsml-g2"
real_files = pytest.mark.skipif(
    not REAL.is_dir(), reason="real-world fixtures (../shared/fixtures/real) absent"
)


def parse(stream, **options):
    return PARSERS["newsml"](stream, **options)


def records(path, **options):
    with open(path, "rb") as stream:
        return list(parse(stream, **options))


def articles_in(path, **options):
    return [r for r in records(path, **options) if isinstance(r, ArticleRecord)]


def paragraphs(article):
    return article.body.count("<p>")


@real_files
@pytest.mark.django_db
class TestRealAgencyFiles:
    def test_tt_message_without_namespace_with_package_and_picture(self):
        ok, out, err = run_import(REAL / "TT_newsmlg2_sample.xml")
        assert ok, err
        assert "IPTC NewsML-G2" in out
        assert "1 created, 0 updated, 0 unchanged, 2 skipped, 0 failed" in out
        assert "item 1: a package item (it groups other items), not an article" in out
        assert "item 3: a picture item, not an article" in out
        story = Article.objects.get(
            source_uri="http://tt.se/media/text/210919-janguillou-879f202b"
        )
        assert story.headline == 'Jan Guillou skriver på ny "Hamilton"-bok'
        assert authors_of(story) == [] and story.credit == "TT"
        assert story.published_at.isoformat() == "2021-09-19T18:57:43+00:00"
        assert story.language == "sv"
        assert paragraphs(story) == 3 and story.body.count("<blockquote>") == 2
        # The headline, and the vignette line repeating a subject, are not body.
        assert "<h1>" not in story.body and "Litteratur" not in story.body
        assert tags_of(story) == [
            "Aftonbladet",
            "Erik Ponti",
            "Hamilton",
            "Jan Guillou",
            "Konst, kultur och nöje",
            "Litteratur",
        ]
        # The package groups the story with the picture item after it.
        picture = story.hero_image
        assert picture.source_uri == "http://tt.se/media/image/sdlm1btzmKu8WU"
        assert picture.caption.startswith("Journalisten och författaren Jan Guillou")
        assert picture.credit == "TT"
        assert len(picture.renditions) == 4

    def test_ansa_plain_text_body_sub_headline_and_picture_reference(self):
        run_import(REAL / "ansa-newsmlg2-text.xml")
        story = Article.objects.get()
        assert story.headline == (
            "Catalan independence declaration unacceptable - Alfano"
        )
        assert story.deck == "Foreign minister expresses faith in Spanish government"
        assert story.credit == "ANSA" and authors_of(story) == []
        assert story.published_at.isoformat() == "2017-10-11T09:41:00+00:00"
        assert story.language == "it"  # what the file says, though the text is English
        # text/plain with the wire's indented paragraph starts.
        assert paragraphs(story) == 4
        assert story.body.startswith("<p>(ANSA) - Rome, October 11 - Italian Foreign")
        assert tags_of(story) == []  # its subjects are bare codes
        assert story.hero_image.source_uri == (
            "tag:ansa.it,2017-10-11:200400bfd17a98e68ea9597546e5ec93.jpg"
        )
        assert not story.hero_image.file
        [record] = articles_in(REAL / "ansa-newsmlg2-text.xml")
        assert record.dateline == "Rome"
        # A desk code is kept as the creator, not shown as a byline.
        assert record.byline_roles == [{"name": "VRG", "role": "creator"}]

    def test_dpa_namespaced_message(self):
        run_import(REAL / "dpa.xml")
        story = Article.objects.get()
        assert story.source_uri == "urn:newsml:dpa.com:20090101:221011-930-4303"
        assert story.headline == (
            "Eintracht in London: Hintereggers Tränen und Attacke auf Reporter"
        )
        assert story.credit == "dpa"
        # The creator is a login ("degenhardt.sandra"), not a byline.
        assert authors_of(story) == []
        assert story.published_at.isoformat() == "2022-10-11T09:14:42+00:00"
        assert story.language == "de"
        assert paragraphs(story) == 3
        assert story.body.startswith("<p>2019 gab es bittere Tränen in der Kurve")
        assert "slugline" not in story.body and "11.10.2022 11:14" not in story.body
        assert tags_of(story) == [
            "Champions League",
            "Deutschland",
            "Frankfurt",
            "Fußball",
            "Großbritannien",
            "Hessen",
            "International",
            "London",
            "Sport",
            "Tottenham Hotspur Stadium, High Road 782, N17 , Vereinigtes Königreich",
        ]
        assert story.hero_image is None
        [record] = articles_in(REAL / "dpa.xml")
        assert record.dateline == "London (dpa)"
        assert record.byline_roles == [
            {"name": "degenhardt.sandra", "role": "creator"},
            {"name": "degenhardt.sandra", "role": "contributor"},
        ]
        assert record.section == ["Extra"]

    def test_stt_bare_item_and_times_without_a_zone(self):
        run_import(REAL / "stt_newsml_location_rich.xml")
        story = Article.objects.get()
        assert story.headline == (
            "Tuhannet rohingya-pakolaiset jumissa Myanmarin ja Bangladeshin rajalla"
        )
        assert story.credit == "STT–AFP" and authors_of(story) == []
        assert story.language == "fi-FI"
        assert paragraphs(story) == 2  # the empty third one is dropped
        assert tags_of(story) == [
            "Etniset vähemmistöt",
            "Levottomuudet Konfliktit Sodat",
            "Pakolaiset",
            "Politiikka",
            "Sosiaalikysymykset",
            "Ulkomaat",
            "Vähemmistöt",
        ]
        # "2017-08-29T17:15:41" has no zone: the site's (UTC in tests) is used...
        assert story.published_at.isoformat() == "2017-08-29T17:15:41+00:00"
        # ...or the source's, when it is configured.
        [record] = articles_in(
            REAL / "stt_newsml_location_rich.xml", zone=ZoneInfo("Europe/Helsinki")
        )
        assert record.published_at.isoformat() == "2017-08-29T14:15:41+00:00"
        assert not record.published_date_only
        assert record.dateline == ""

    def test_a_second_import_changes_nothing(self):
        ok, out, _ = run_import(REAL)
        assert ok and "4 created, 0 updated, 0 unchanged, 2 skipped, 0 failed" in out
        ok, out, _ = run_import(REAL)
        assert ok and "0 created, 0 updated, 4 unchanged, 2 skipped, 0 failed" in out


@pytest.mark.django_db
class TestNewsmlImport:
    def test_namespaced_text_item(self):
        ok, out, err = run_import(G2 / "harbour_namespaced.xml")
        assert ok, err
        assert "1 created" in out
        assert "item 2: a picture item, not an article" in out
        story = Article.objects.get()
        assert story.source_uri == "urn:example:g2:harbour"
        # Rank 1 wins over the first headline; inline markup is flattened.
        assert story.headline == "Harbour bridge reopens after six weeks"
        assert story.deck == "Traffic is flowing again after repairs."
        # The byline as written; the creator's login is not a name.
        assert authors_of(story) == ["Ann Lee"]
        assert story.credit == "Example Wire"
        # The dateline, the <header> and the empty paragraph are not kept.
        assert " ".join(story.body.split()) == (
            "<p>The bridge reopened at dawn.</p> "
            "<p>Commuters crossed <em>before</em> sunrise.</p> "
            "<h2>What changed</h2> <p>The deck was resurfaced.</p>"
        )
        assert tags_of(story) == ["Infrastructure", "Transport", "harbour"]
        # The embargo is later than the creation time: the story waits for it.
        assert story.published_at.isoformat() == "2024-03-01T11:00:00+00:00"
        # The picture item its link points to, not the web page it also links.
        picture = story.hero_image
        assert picture.source_uri == "urn:example:g2:harbour-photo"
        assert picture.caption == "Cars cross the reopened harbour bridge."
        assert picture.credit == "Cy Li/Example Wire"
        assert picture.alt == "The harbour bridge at dawn"
        assert [r["name"] for r in picture.renditions] == ["highRes", "preview"]

    def test_namespaced_item_keeps_dateline_roles_embargo_and_times_in_the_record(
        self,
    ):
        record, picture = records(G2 / "harbour_namespaced.xml")
        assert record.dateline == "OSLO, March 1 (EXW)"
        assert record.byline_roles == [
            {"name": "ann.lee", "role": "writer"},
            {"name": "Bo Ek", "role": "editor"},
        ]
        assert record.embargoed_until.isoformat() == "2024-03-01T11:00:00+00:00"
        assert record.updated_at.isoformat() == "2024-03-01T09:30:00+00:00"
        assert record.version == "2" and record.language == "en"
        assert record.image.href == "https://pictures.example.org/harbour/view.jpg"
        assert picture == Skipped(
            "item 2", "a picture item, not an article", "urn:example:g2:harbour-photo"
        )

    def test_bare_item_without_namespace_and_plain_text(self):
        ok, out, err = run_import(G2 / "ferry_plain.xml")
        assert ok, err
        story = Article.objects.get(source_uri="urn:example:g2:ferry")
        assert story.headline == "Ferry timetable changes for summer"
        assert story.deck == "More crossings from June."
        assert (story.dateline_place, story.dateline_source) == (
            "BERGEN",
            "Example Wire",
        )
        assert story.body == (
            "<p>The ferry company will add crossings from "
            "June, it said on Thursday.</p>"
            "<p>Evening departures move half an hour later.</p>"
            "<p>Tickets bought earlier stay valid.</p>"
        )
        assert authors_of(story) == ["Dora Maar"]
        assert story.credit == "Example Wire"
        assert story.language == "nb"
        assert tags_of(story) == ["Ferries"]  # "FERRY" is a bare code
        assert story.published_at.isoformat() == "2024-05-02T00:00:00+00:00"

    def test_a_day_without_a_time_is_date_only_in_the_source_zone(self):
        [record] = records(G2 / "ferry_plain.xml", zone=ZoneInfo("Europe/Oslo"))
        assert record.published_date_only
        assert record.published_at.isoformat() == "2024-05-01T22:00:00+00:00"
        # versionCreated "2024-05-02T16:20:00" has a time but no zone.
        assert record.updated_at.isoformat() == "2024-05-02T14:20:00+00:00"
        assert record.dateline == "Bergen"

    def test_canceled_item_withdraws_the_story(self):
        run_import(G2 / "harbour_namespaced.xml")
        ok, out, err = run_import(G2 / "harbour_canceled.xml")
        assert ok, err
        assert "0 created, 1 updated" in out
        story = Article.objects.get()
        assert story.status == Article.Status.WITHDRAWN
        assert story.published_at.isoformat() == "2024-03-01T11:00:00+00:00"

    def test_picture_only_item_is_skipped_with_the_reason(self):
        ok, out, err = run_import(G2 / "picture_only.xml")
        assert ok, err
        assert "0 created, 0 updated, 0 unchanged, 1 skipped, 0 failed" in out
        assert "picture_only.xml, item 1: a picture item, not an article" in out
        assert not Article.objects.exists()

    def test_a_later_version_in_the_same_file_replaces_an_earlier_one(self):
        ok, out, err = run_import(G2 / "versions.xml")
        assert ok, err
        assert "versions.xml, item 1: version 1: version 2 follows" in out
        assert Article.objects.get().headline == "Storm reaches the coast"

    def test_a_newer_version_updates_the_story(self, tmp_path):
        first = (G2 / "ferry_plain.xml").read_text()
        newer = first.replace('version="1"', 'version="2"').replace(
            "Ferry timetable changes for summer", "Ferry timetable changes from June"
        )
        (tmp_path / "ferry.xml").write_text(first)
        run_import(tmp_path / "ferry.xml")
        (tmp_path / "ferry.xml").write_text(newer)
        ok, out, _ = run_import(tmp_path / "ferry.xml")
        assert ok and "0 created, 1 updated" in out
        assert Article.objects.get().headline == "Ferry timetable changes from June"

    def test_nitf_body(self, tmp_path):
        (tmp_path / "nitf.xml").write_text(
            '<newsItem guid="urn:example:g2:nitf" version="1"><contentMeta>'
            "<headline>Polls close</headline></contentMeta><contentSet>"
            '<inlineXML contenttype="application/nitf+xml"><nitf><head>'
            "<title>Polls close</title></head><body><body.head><hedline><hl1>"
            "Polls close</hl1></hedline><byline>By Ann Lee</byline></body.head>"
            "<body.content><block><p>Counting has begun.</p><hl2>Turnout</hl2>"
            "<p>Turnout was high.</p></block></body.content><body.end><tagline>"
            "Example Wire</tagline></body.end></body></nitf></inlineXML>"
            "</contentSet></newsItem>"
        )
        ok, _, err = run_import(tmp_path / "nitf.xml")
        assert ok, err
        # The headline, byline and tagline of NITF's head and end are not body.
        assert Article.objects.get().body == (
            "<p>Counting has begun.</p><h2>Turnout</h2><p>Turnout was high.</p>"
        )

    def test_a_second_import_changes_nothing(self):
        ok, out, _ = run_import(G2 / "harbour_namespaced.xml", G2 / "ferry_plain.xml")
        assert ok and "2 created" in out
        ok, out, _ = run_import(G2 / "harbour_namespaced.xml", G2 / "ferry_plain.xml")
        assert ok and "0 created, 0 updated, 2 unchanged" in out


@pytest.mark.django_db
class TestBadNewsml:
    def test_truncated_file_fails_in_one_line_after_importing_what_came_before(self):
        ok, _, err = run_import(G2 / "truncated.xml")
        assert not ok
        failures = [line for line in err.splitlines() if line.startswith("failed")]
        assert failures == [
            f"failed {G2 / 'truncated.xml'}, line 12, column 75: ill-formed XML: "
            "no element found (the file is truncated or empty)"
        ]
        assert "Traceback" not in err
        assert list(Article.objects.values_list("source_uri", flat=True)) == [
            "urn:example:g2:tide-1"
        ]

    def test_an_item_over_the_size_limit_fails_alone(self, tmp_path, settings):
        settings.NEWSROOM_IMPORT_MAX_BODY = 1000
        big = (
            (G2 / "versions.xml")
            .read_text()
            .replace("Winds are rising.", "Winds are rising. " * 200)
        )
        (tmp_path / "big.xml").write_text(big)
        ok, _, err = run_import(tmp_path / "big.xml")
        assert not ok
        assert "big.xml, item 1: body (contentSet) is 3.5 KB, over the 1000" in err
        assert Article.objects.get().headline == "Storm reaches the coast"

    def test_a_dtd_is_refused(self, tmp_path):
        (tmp_path / "dtd.xml").write_text(
            '<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY x "boom">]>'
            '<newsItem guid="urn:x"><contentMeta><headline>&x;</headline>'
            "</contentMeta></newsItem>"
        )
        ok, _, err = run_import(tmp_path / "dtd.xml")
        assert not ok and "DTDs are refused for safety" in err
        assert not Article.objects.exists()

    def test_an_item_without_guid_or_with_a_bad_date_fails_alone(self, tmp_path):
        message = (G2 / "versions.xml").read_text()
        message = message.replace('guid="urn:example:g2:storm" version="1"', "")
        message = message.replace("2024-01-10T08:00:00Z", "yesterday-ish")
        (tmp_path / "bad.xml").write_text(message)
        ok, _, err = run_import(tmp_path / "bad.xml")
        assert not ok
        assert "bad.xml, item 1: no guid: the item has no identity" in err
        assert "bad.xml, item 2: versionCreated: unreadable date 'yesterday-ish'" in err

    def test_not_newsml_when_forced(self):
        ok, _, err = run_import(FIXTURES / "feed.rss", format="newsml")
        assert not ok and "not NewsML-G2: the root is <rss>" in err


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(
    cut=st.integers(min_value=0, max_value=4000), noise=st.binary(max_size=40)
)
def test_damaged_files_give_records_or_a_clean_error(cut, noise):
    """Whatever the damage, the parser yields records or raises SourceError."""
    data = (G2 / "harbour_namespaced.xml").read_bytes()
    damaged = data[:cut] + noise + data[cut:]
    try:
        items = list(parse(io.BytesIO(damaged)))
    except SourceError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert all(isinstance(i, ArticleRecord | Skipped | Failed) for i in items)
