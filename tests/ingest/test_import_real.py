"""Real-world files (other people's writing) read in place from ../shared/fixtures.

They are never copied into the project; without that folder these tests skip.
"""

import pytest

from articles.models import Article
from tests.ingest.test_import_articles import SHARED, authors_of, run_import

REAL = SHARED / "real"
NEWSML_TEXT_ITEMS = [
    "http://tt.se/media/text/210919-janguillou-879f202b",
    "tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a",
    "urn:newsml:dpa.com:20090101:221011-930-4303",
    "urn:newsml:stt.fi:20170829:101572756",
]
SAVED_PAGES = [
    "http://www.washingtonpost.com/world/gunmen-storm-museum-in-tunisia-killing-at-"
    "least-8/2015/03/18/00202e76-cd73-11e4-8730-4f473416e759_story.html",
    "http://www.liberation.fr/monde/2015/04/30/un-troisieme-francais-mort-dans-le-"
    "seisme-au-nepal_1278483",
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not REAL.is_dir(), reason="real-world fixtures (../shared/fixtures/real) absent"
    ),
]


def test_every_real_file_imports_and_a_second_run_changes_nothing():
    ok, out, err = run_import(REAL)
    assert ok, err
    assert "0 failed" in out
    assert "ap_image.json, object 1: a picture item, not an article" in out
    assert "TT_newsmlg2_sample.xml, item 1: a package item" in out
    assert "TT_newsmlg2_sample.xml, item 3: a picture item, not an article" in out
    newsml = Article.objects.filter(source_uri__in=NEWSML_TEXT_ITEMS)
    assert newsml.count() == 4
    pages = Article.objects.filter(source_uri__in=SAVED_PAGES)
    assert pages.count() == 2
    created = Article.objects.count()
    assert created > 100
    ok, out, _ = run_import(REAL)
    assert ok
    assert f"0 created, 0 updated, {created} unchanged" in out


def test_real_ninjs_shapes():
    run_import(REAL / "ninjs")
    dpa = Article.objects.get(source_uri="urn:newsml:dpa.com:20090101:190510-99-167362")
    assert authors_of(dpa) == ["Christian Hollmann"] and dpa.credit == "dpa"
    assert dpa.body.count("<p>") == 9
    assert dpa.published_at.isoformat() == "2019-05-10T14:02:28+00:00"
    tt = Article.objects.get(source_uri__contains="militarovning")
    assert "<title>" not in tt.body and "<h1>" not in tt.body
    assert tt.hero_image.credit == "Karl Melander/TT"
    assert len(tt.hero_image.renditions) == 4
    assert authors_of(tt) == []  # no item-level byline: nobody invented
    business = Article.objects.get(source_uri__contains="20130515006361")
    assert "world’s" in business.body and "â€" not in business.body
    superdesk = Article.objects.get(
        source_uri="tag:localhost:2017:7ca07622-3b19-4d61-8daf-18500412d46b"
    )
    assert authors_of(superdesk) == ["Henning Gloystein"]
    assert superdesk.hero_image.caption.startswith("Oil prices edged up")
    three = Article.objects.get(source_uri__contains="antidopingdatabase")
    assert three.headline.startswith("Anti-doping measures at the 'Tour Down Under'")
    assert authors_of(three) == ["Trond Husø"]


def test_real_wxr_posts_and_states():
    run_import(REAL / "wxr" / "themeunittestdata.wordpress.xml")
    future = Article.objects.filter(published_at__year=2030)
    assert future.count() == 1 and future.get().is_scheduled
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert not Article.objects.filter(headline__contains="<em>").exists()


def test_real_feeds():
    run_import(REAL / "feeds")
    medium = Article.objects.filter(headline="Wild Flavors All Year Round")
    assert medium.count() == 2  # same title, different guids
    heise = Article.objects.filter(source_uri__startswith="http://heise.de/")
    assert heise.count() == 15
    assert {a.credit for a in heise} == {"heise online"}
    guardian = Article.objects.filter(source_uri__contains="theguardian.com")
    assert guardian.count() == 55
    assert all(a.hero_image_id for a in guardian)


def test_real_feeds_in_other_encodings():
    ok, out, err = run_import(REAL / "feeds")
    assert ok, err
    report = out + err
    chinese = Article.objects.get(
        source_uri__contains="kc0011", headline__contains="华表"
    )
    assert chinese.headline == "建国35周年纪念，华表，和平鸽"
    assert chinese.published_at.isoformat() == "2020-01-10T14:33:00+00:00"
    french = Article.objects.filter(source_uri__contains="scienceshumaines")
    assert french.filter(headline__contains="très complexe").exists()
    assert not french.filter(headline__contains="trč").exists()
    assert (
        "no_encoding_ISO-8859-1.xml: declares no encoding and is not UTF-8: "
        "read as windows-1252 (detected)"
    ) in report
    assert "Rss20FinanzenNet.xml: declares iso-8859-1 but is UTF-8" in report
    assert Article.objects.filter(headline="Typepad Release Notes").exists()


def test_real_feeds_keep_authors_language_and_lead_pictures():
    run_import(REAL / "feeds")
    forecasting = Article.objects.get(
        source_uri__contains="how-to-quickly-solve-machine-learning-forecasting"
    )
    assert authors_of(forecasting) == ["Chris Rawles", "Ryan Gillard"]
    assert forecasting.language == "en"
    aktuality = Article.objects.filter(source_uri__contains="aktuality.sk")
    assert aktuality.count() == 30
    assert {a.language for a in aktuality} == {"sk"}
    assert all(a.hero_image_id for a in aktuality)
    goldman = aktuality.get(source_uri__contains="analytici-goldman-sachs")
    assert goldman.hero_image.source_uri.startswith("https://t.aimg.sk/magaziny/")
    assert goldman.body.startswith("<p>Očakávajú totiž")
    assert "<img" not in goldman.body
    orf = Article.objects.get(headline__startswith="US-Band New Edition")
    assert orf.language == "de"
    typepad = Article.objects.filter(headline="Typepad Release Notes").first()
    assert typepad.language == "en-us"
    assert "<ul>" in typepad.body and "<code>&lt;body&gt;</code>" in typepad.body


def test_real_ninjs_pattern_properties_and_roles():
    run_import(REAL / "ninjs")
    tt = Article.objects.get(source_uri__endswith="200702-allsvhelsingborguv-1259445")
    assert tt.headline == "Krisen allt djupare – Mellberg sämst någonsin"
    assert tt.body.count("<p>") >= 5 and "<blockquote>" in tt.body
    assert "<title>" not in tt.body
    assert authors_of(tt) == ["Martin Hardenberger"] and tt.credit == "TT"
    assert tt.language == "sv"


def test_real_wxr_shortcodes_and_attached_pictures():
    run_import(REAL / "wxr" / "wordpress_export_example.xml")
    transformation = Article.objects.get(source_uri="http://some.blog/?p=17")
    assert "<figcaption>caption test</figcaption></figure>" in transformation.body
    assert "<pre><code>import sys\nprint sys.version</code></pre>" in (
        transformation.body
    )
    assert "[sourcecode" not in transformation.body
    sick = Article.objects.get(source_uri="http://some.blog/?p=6")
    assert sick.hero_image.source_uri.endswith("arzt_und_pfusch-sick-cover.png")


def test_real_double_encoded_feed_reads_as_written():
    run_import(REAL / "feeds" / "Rss20YandexRussia.xml")
    yandex = Article.objects.all()
    assert yandex.filter(headline__startswith="Новое здание для театра").exists()
    assert yandex.filter(headline__startswith="Патриарх Кирилл поздравил").exists()
    assert not [a.headline for a in yandex if "Ð" in a.headline + a.body]
