"""Datelines and byline roles through the importer: read from the body's
opening or from ninjs `located`, roles from ninjs `people`, and our own
export read back as it was written."""

import io
import json

import pytest
from django.core.management import call_command

from articles import publishing
from articles.models import Article, Author, Byline
from articles.publishing import BylineRow
from tests.factories import make_article, make_author
from tests.ingest.test_import_articles import SHARED, run_import

pytestmark = pytest.mark.django_db


def ninjs_file(tmp_path, **item):
    item = {
        "uri": "urn:example:wire:1",
        "headlines": [{"role": "main", "value": "Talks resume"}],
        "versioncreated": "2024-05-01T10:00:00Z",
        **item,
    }
    path = tmp_path / "item.json"
    path.write_text(json.dumps(item))
    return path


def body(html):
    return {"bodies": [{"role": "main", "contenttype": "text/html", "value": html}]}


def test_a_dateline_opening_the_body_is_taken_out_of_it(tmp_path):
    path = ninjs_file(
        tmp_path,
        by="Jane Doe",
        **body("<p>LONDON, Dec 3 (Reuters) - Shares fell.</p><p>More.</p>"),
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert (story.dateline_place, story.dateline_date, story.dateline_source) == (
        "LONDON",
        "Dec 3",
        "Reuters",
    )
    assert story.body == "<p>Shares fell.</p><p>More.</p>"


def test_an_ordinary_opening_is_left_alone(tmp_path):
    text = "<p>But the rest — as they say — is history.</p>"
    ok, _, err = run_import(ninjs_file(tmp_path, by="Jane Doe", **body(text)))
    assert ok, err
    story = Article.objects.get()
    assert story.dateline_place == ""
    assert story.body == text


def test_located_is_the_place(tmp_path):
    path = ninjs_file(tmp_path, by="Jane Doe", located="Bergen", **body("<p>x</p>"))
    ok, _, err = run_import(path)
    assert ok, err
    assert Article.objects.get().dateline_place == "Bergen"


def test_people_with_byline_roles_are_the_byline(tmp_path):
    path = ninjs_file(
        tmp_path,
        by="Ann Lee and Bo Ek · Photographs by Di Fox",
        people=[
            {"name": "Ann Lee", "rel": "byline:writer"},
            {"name": "Bo Ek", "rel": "byline:writer"},
            {"name": "Di Fox", "rel": "byline:photographer"},
            {"name": "A Minister"},  # whom the story is about
        ],
        **body("<p>x</p>"),
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert list(story.bylines.values_list("author__name", "role")) == [
        ("Ann Lee", "writer"),
        ("Bo Ek", "writer"),
        ("Di Fox", "photographer"),
    ]
    assert not Author.objects.filter(name="A Minister").exists()


def test_a_tt_photographer_is_credited_as_one(tmp_path):
    path = ninjs_file(
        tmp_path,
        bylines=[
            {"byline": "Kari Nordmann/NTB", "role": "Reporter"},
            {"firstname": "Ola", "lastname": "Hansen", "role": "Fotograf"},
        ],
        **body("<p>x</p>"),
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    assert list(story.bylines.values_list("author__name", "role")) == [
        ("Kari Nordmann", "writer"),
        ("Ola Hansen", "photographer"),
    ]


def test_our_export_reads_back_with_roles_and_place_and_is_then_unchanged(tmp_path):
    article = make_article(headline="Ferry talks", dateline_place="CAIRO", authors=[])
    publishing.set_bylines(
        article,
        [
            make_author(name="Ann Lee"),
            BylineRow(make_author(name="Cy Dunn"), Byline.Role.ADDITIONAL_REPORTING),
            BylineRow(make_author(name="Di Fox"), Byline.Role.PHOTOGRAPHER),
        ],
    )
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    dump = tmp_path / "out.jsonl"
    dump.write_text(out.getvalue())
    Byline.objects.all().delete()
    Article.objects.all().delete()

    ok, _, err = run_import(dump)
    assert ok, err
    story = Article.objects.get()
    assert story.dateline_place == "CAIRO"
    assert story.body == article.body
    assert list(story.bylines.values_list("author__name", "role")) == [
        ("Ann Lee", "writer"),
        ("Cy Dunn", "reporting"),
        ("Di Fox", "photographer"),
    ]
    ok, out_text, _ = run_import(dump)
    assert "1 unchanged" in out_text


def test_an_editors_role_change_is_not_written_over(tmp_path):
    path = ninjs_file(
        tmp_path,
        people=[
            {"name": "Ann Lee", "rel": "byline:writer"},
            {"name": "Di Fox", "rel": "byline:writer"},
        ],
        **body("<p>x</p>"),
    )
    ok, _, err = run_import(path)
    assert ok, err
    story = Article.objects.get()
    ann, di = (b.author for b in story.bylines.all())
    publishing.update(
        story, by=None, authors=[ann, BylineRow(di, Byline.Role.PHOTOGRAPHER)]
    )
    ok, out, err = run_import(path)
    assert ok, err
    assert "1 unchanged" in out
    assert story.bylines.get(author=di).role == "photographer"
    changed = json.loads(path.read_text()) | body("<p>A new version.</p>")
    path.write_text(json.dumps(changed))
    ok, out, err = run_import(path)
    assert ok, err
    assert "edited locally" in out + err
    assert story.bylines.get(author=di).role == "photographer"


REAL = SHARED / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="real-world fixtures absent")
@pytest.mark.parametrize(
    ("name", "dateline"),
    [
        ("pages/wapo-1_source.html", ("CAIRO", "", "")),
        ("newsml-g2/dpa.xml", ("London", "", "dpa")),
        ("ninjs/superdesk-core/ninjs2.json", ("Singapore", "", "")),
    ],
)
def test_real_files_give_their_datelines(name, dateline):
    ok, _, err = run_import(REAL / name)
    assert ok, err
    story = Article.objects.get()
    assert (story.dateline_place, story.dateline_date, story.dateline_source) == (
        dateline
    )
    opening = story.body.split("</p>")[0]
    assert dateline[0].casefold() + " —" not in opening.casefold()
