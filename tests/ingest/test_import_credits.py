"""Bylines from imports: people in order, agencies and desks as the credit.

Affiliations, desks, datelines, job titles and addresses never become authors;
a byline that names nobody is the credit as written; ninjs carries the credit
in `infosources` and comes back the same.
"""

import io
import json

import pytest
from django.core.management import call_command

from articles.ingest.parsers.bylines import split_byline
from articles.models import Article, Author, Byline, Section
from tests.factories import make_article, make_author
from tests.ingest.test_import_articles import SHARED, authors_of, run_import
from tests.ninjs_schema import needs_schemas, schema_errors

REAL = SHARED / "real"
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason="real-world fixtures (../shared/fixtures/real) absent"
)


@pytest.mark.parametrize(
    ("byline", "people", "credit"),
    [
        # People, in order, with the prefixes sources write.
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"], ""),
        ("Von Christian Hollmann, dpa", ["Christian Hollmann"], "dpa"),
        ("Par Ann Lee, Bo Ek et Cy Li", ["Ann Lee", "Bo Ek", "Cy Li"], ""),
        # Affiliations: after a comma, in brackets, after a slash.
        ("Jane Doe, Reuters", ["Jane Doe"], "Reuters"),
        ("Jane Doe (AP)", ["Jane Doe"], "AP"),
        ("JANE DOE / dpa", ["Jane Doe"], "dpa"),
        ("Karl Melander/TT", ["Karl Melander"], "TT"),
        (
            "Trond Husø, The Anti-Doping Database",
            ["Trond Husø"],
            "The Anti-Doping Database",
        ),
        (
            "By Jane Doe and John Roe, AP and Reuters",
            ["Jane Doe", "John Roe"],
            "AP, Reuters",
        ),
        ("By Jane Doe | Reuters", ["Jane Doe"], "Reuters"),
        ("Jane Doe – dpa", ["Jane Doe"], "dpa"),
        ("Jane Doe for Reuters", ["Jane Doe"], "Reuters"),
        (
            "Jane Doe, Special to The Washington Post",
            ["Jane Doe"],
            "The Washington Post",
        ),
        ("By Jane Doe, Bloomberg News", ["Jane Doe"], "Bloomberg News"),
        ("Jane Doe, CNN", ["Jane Doe"], "CNN"),
        # Nobody named: the credit, as written.
        ("STT–AFP", [], "STT–AFP"),
        ("Scott Media, TT", [], "Scott Media, TT"),
        ("By Staff", [], "Staff"),
        ("NTB", [], "NTB"),
        ("futurezone/KN", [], "futurezone/KN"),
        ("APA/dpa", [], "APA/dpa"),
        ("Reuters staff", [], "Reuters staff"),
        ("Staff and agencies", [], "Staff and agencies"),
        ("Guardian sport", [], "Guardian sport"),
        ("Reuters in New York", [], "Reuters"),
        ("Associated Press in Palm Beach, Florida", [], "Associated Press"),
        # Addresses, datelines, titles and notes are not people.
        ("jane@example.org (Jane Doe)", ["Jane Doe"], ""),
        ("Jane Doe <jane@example.org>", ["Jane Doe"], ""),
        ("jane@example.org", [], ""),
        ("Ashifa Kassam in Stanstead, Quebec", ["Ashifa Kassam"], ""),
        (
            "Sam Jones in Madrid and Stephen Burgen in Barcelona",
            ["Sam Jones", "Stephen Burgen"],
            "",
        ),
        ("Jason Burke Africa correspondent", ["Jason Burke"], ""),
        ("Ben Fisher Chief political correspondent", ["Ben Fisher"], ""),
        ("Jane Doe, Staff Writer", ["Jane Doe"], ""),
        ("By JANE DOE, Associated Press Writer", ["Jane Doe"], "Associated Press"),
        ("Jane Doe, AP Sports Writer", ["Jane Doe"], "AP"),
        (
            "Nick Ames (now), Ed Aarons and Ben Fisher (earlier)",
            ["Nick Ames", "Ed Aarons", "Ben Fisher"],
            "",
        ),
        ("Reporting by Jane Doe; Editing by John Roe", ["Jane Doe"], ""),
        # Names that only look like the above stay names.
        ("Jane-Marie Doe - Bo Ek", ["Jane-Marie Doe", "Bo Ek"], ""),
        ("Jane Doe Jr.", ["Jane Doe Jr."], ""),
        ("Hans Wurst for President", ["Hans Wurst for President"], ""),
        ("Jane Writer", ["Jane Writer"], ""),
        ("First Dog on the Moon", ["First Dog on the Moon"], ""),
        ("THEODORE ROOSEVELT IV", ["Theodore Roosevelt IV"], ""),
        ("ERIN McCANN", ["ERIN McCANN"], ""),
        ("zbcx", ["zbcx"], ""),
        ("", [], ""),
    ],
)
def test_a_byline_splits_into_people_and_a_credit(byline, people, credit):
    assert split_byline(byline) == (people, credit)


def test_a_credit_the_source_names_is_never_a_person():
    # "Ekman Holm" reads like a name; the source said it is the supplier.
    assert split_byline("Jane Doe, Ekman Holm", credits=["Ekman Holm"]) == (
        ["Jane Doe"],
        "Ekman Holm",
    )
    assert split_byline("Ekman Holm") == (["Ekman Holm"], "")


@needs_real
@pytest.mark.django_db
def test_guardian_agency_and_desk_copy_is_credited_not_authored():
    ok, _, err = run_import(REAL / "feeds" / "guardian.rss")
    assert ok, err
    names = set(Author.objects.values_list("name", flat=True))
    for not_a_person in (
        "agencies",
        "Staff",
        "Florida",
        "Quebec",
        "Guardian sport",
        "Associated Press",
        "Reuters",
    ):
        assert not_a_person not in names
    assert not any("(" in name or " in " in name for name in names)
    assert {"Damian Carrington", "Jason Burke", "Patrick Wintour"} <= names
    credits = set(Article.objects.values_list("credit", flat=True))
    assert {"Staff and agencies", "Associated Press", "Reuters", "Guardian sport"} <= (
        credits
    )
    credited = Article.objects.filter(credit="Staff and agencies").get()
    assert authors_of(credited) == [] and credited.status == Article.Status.PUBLISHED


@needs_real
@pytest.mark.django_db
def test_nyt_capitals_become_names_matching_existing_authors():
    make_author(name="Michael D. Shear", slug="michael-d-shear")
    ok, _, err = run_import(REAL / "feeds" / "Rss20NYTimes.xml")
    assert ok, err
    assert Author.objects.filter(name__iexact="michael d. shear").count() == 1
    assert not Author.objects.filter(name="DAVID E. SANGER").exists()
    assert Author.objects.filter(name="David E. Sanger").exists()


def write_ninjs(tmp_path, **fields):
    item = {
        "uri": "urn:example:credits:1",
        "headlines": [{"role": "main", "value": "Harbour reopens"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>x</p>"}],
        "versioncreated": "2024-05-01T10:00:00Z",
        **fields,
    }
    path = tmp_path / "item.json"
    path.write_text(json.dumps(item))
    return path


@pytest.mark.django_db
def test_ninjs_infosources_are_the_credit(tmp_path):
    path = write_ninjs(
        tmp_path, by="Jane Doe, Ekman Holm", infosources=[{"name": "Ekman Holm"}]
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert authors_of(story) == ["Jane Doe"] and story.credit == "Ekman Holm"
    assert not Author.objects.filter(name="Ekman Holm").exists()


def export():
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    return out.getvalue()


@needs_schemas
@pytest.mark.django_db(transaction=True)
def test_ninjs_export_and_import_keep_bylines_and_credits(tmp_path):
    jane = make_author(name="Jane Doe", slug="jane-doe")
    john = make_author(name="John Roe", slug="john-roe")
    make_article(headline="With an agency", authors=[jane, john], credit="Reuters")
    make_article(headline="A free credit", authors=[jane], credit="Ekman Holm")
    make_article(headline="Wire only", authors=[], credit="futurezone/KN")
    make_article(headline="Desk only", authors=[], credit="Staff and agencies")
    make_article(headline="People only", authors=[john, jane])
    before = {a.headline: (authors_of(a), a.credit) for a in Article.objects.all()}

    dump = tmp_path / "out.jsonl"
    dump.write_text(export())
    items = {
        i["headlines"][0]["value"]: i
        for i in map(json.loads, dump.read_text().split("\n")[:-1])
    }
    assert items["With an agency"]["by"] == "Jane Doe and John Roe, Reuters"
    assert items["With an agency"]["infosources"] == [{"name": "Reuters"}]
    assert items["Wire only"]["by"] == "futurezone/KN"
    assert "infosources" not in items["People only"]
    for item in items.values():
        assert schema_errors(item) == [], item["by"]

    for model in (Byline, Article, Author, Section):
        model.objects.all().delete()
    ok, _, err = run_import(dump)
    assert ok, err
    after = {a.headline: (authors_of(a), a.credit) for a in Article.objects.all()}
    assert after == before
    assert not Author.objects.filter(name__in=["Ekman Holm", "futurezone"]).exists()


@pytest.mark.django_db
def test_newsml_info_sources_are_the_credit(tmp_path):
    path = tmp_path / "item.xml"
    path.write_text(
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:g2:1"'
        ' version="1" standard="NewsML-G2" standardversion="2.33">'
        '<itemMeta><itemClass qcode="ninat:text"/><provider literal="Example Wire"/>'
        "<versionCreated>2024-05-02T16:20:00Z</versionCreated></itemMeta>"
        '<contentMeta><infoSource literal="Ekman Holm"/>'
        "<creator><name>Ekman Holm</name></creator>"
        "<headline>Harbour reopens</headline>"
        "<by>Jane Doe, Ekman Holm</by></contentMeta>"
        '<contentSet><inlineData contenttype="text/plain">Ships are back.</inlineData>'
        "</contentSet></newsItem>"
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert authors_of(story) == ["Jane Doe"] and story.credit == "Ekman Holm"

    path.write_text(path.read_text().replace("<by>Jane Doe, Ekman Holm</by>", ""))
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert authors_of(story) == [] and story.credit == "Ekman Holm"


def test_a_hostile_byline_is_read_no_further_than_a_byline_runs():
    # Some patterns look back from every word: the cost would be the square
    # of the length. Only the first thousand characters are a byline.
    people, credit = split_byline(" ".join(f"Word{n}" for n in range(50_000)))
    assert credit == "" and len(people) == 1
    assert people[0].startswith("Word0 Word1 ") and len(people[0]) <= 1000
