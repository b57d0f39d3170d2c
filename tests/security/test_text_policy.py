"""The text input policy (articles/text.py), in the admin and in imports.

A vertical tab or ESC in a headline used to make every feed answer 500, a
U+FFFE made the news sitemap ill-formed XML, and a right-to-left override
reversed whatever followed it in feed readers. Whatever editors type or
sources send, every feed, sitemap and JSON-LD block must stay well-formed.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Author, Image, Tag
from articles.text import clean_line, clean_markup, clean_prose
from tests.editorial.test_admin import article_form
from tests.factories import jpeg_bytes, make_article, make_section
from tests.ingest.test_import_articles import run_import
from tests.staff import change_data, change_url

from .text_inputs import (
    import_file,
    not_text,
    public_problems,
    text_problems,
    unbalanced_bidi,
)

pytestmark = pytest.mark.django_db

LRE, RLE, PDF, LRO, RLO = "\u202a\u202b\u202c\u202d\u202e"
LRI, RLI, FSI, PDI = "\u2066\u2067\u2068\u2069"
# The characters of the defect report, each tried in every field.
HOSTILE = {"VT": "\x0b", "ESC": "\x1b", "U+FFFE": "\ufffe", "U+202E": RLO}


def words(value):
    return " ".join(value.split())


class TestPolicy:
    @pytest.mark.parametrize(
        "char",
        ["\x00", "\x1b", "\x7f", "\x80", "\x9f", "\ud800", "\udfff"]
        + ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"],
    )
    def test_controls_non_characters_and_surrogates_are_removed(self, char):
        assert clean_line(f"Harbour{char} storm") == "Harbour storm"
        assert clean_prose(f"Harbour{char} storm") == "Harbour storm"
        assert clean_markup(f"<p>Harbour{char} storm</p>") == "<p>Harbour storm</p>"

    @pytest.mark.parametrize("brk", ["\r\n", "\r", "\n", "\x0b", "\x0c", "\x85"])
    def test_line_breaks_are_one_newline_in_prose_and_a_space_in_a_line(self, brk):
        assert clean_prose(f"One{brk}two") == "One\ntwo"
        assert clean_line(f"One{brk}two") == "One two"

    def test_a_line_keeps_letters_marks_and_spaces(self):
        text = "Ça va\u00a0? \u05e9\u05dc\u05d5\u05dd\u200f 😀 e\u0301"
        assert clean_line(f"  {text}\t") == text

    @pytest.mark.parametrize("char", [LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI])
    def test_a_line_drops_bidi_controls(self, char):
        assert clean_line(f"gnp.{char}exe") == "gnp.exe"

    def test_prose_closes_what_each_line_opens(self):
        assert clean_prose(f"a {RLO}b\nc {RLI}d") == f"a {RLO}b{PDF}\nc {RLI}d{PDI}"

    def test_prose_keeps_balanced_controls_and_drops_stray_closers(self):
        assert clean_prose(f"{RLI}quote{PDI} {PDF}end{PDI}") == f"{RLI}quote{PDI} end"

    def test_a_closed_isolate_closes_the_embeddings_inside_it(self):
        assert clean_prose(f"{RLI}a{RLE}b{PDI}c") == f"{RLI}a{RLE}b{PDF}{PDI}c"

    def test_a_pdf_does_not_close_an_isolate(self):
        assert clean_prose(f"{RLI}a{PDF}b") == f"{RLI}ab{PDI}"

    def test_markup_closes_each_block_but_not_at_inline_elements(self):
        html = f"<p>{RLI}<strong>name</strong>{PDI} said</p><p>{RLO}evil</p><p>ok</p>"
        assert clean_markup(html) == (
            f"<p>{RLI}<strong>name</strong>{PDI} said</p><p>{RLO}evil{PDF}</p><p>ok</p>"
        )

    def test_markup_drops_bidi_controls_in_attributes(self):
        html = f'<p><a href="https://x.example/{RLO}gpj.exe" title="{RLO}t">x</a></p>'
        assert clean_markup(html) == (
            '<p><a href="https://x.example/gpj.exe" title="t">x</a></p>'
        )

    def test_every_result_is_clean_and_stays_as_it_is(self):
        mess = f"\r\n{RLO}a\x0b{LRI}b{PDF}\ufffe\ud800c{PDI}{PDI}\x1b\n{RLE}"
        for clean in (clean_line, clean_prose, clean_markup):
            once = clean(mess)
            assert clean(once) == once
            assert not not_text(once)
            assert not unbalanced_bidi(once)


def hostile(text, char):
    """`text` with `char` before its second word."""
    first, rest = text.split(" ", 1)
    return f"{first} {char}{rest}"


@pytest.mark.parametrize("char", HOSTILE.values(), ids=HOSTILE.keys())
def test_text_typed_in_the_admin_leaves_feeds_and_sitemaps_well_formed(
    char, admin_client
):
    section = make_section(name="Harbour", slug="harbour")
    response = admin_client.post(
        "/admin/articles/author/add/",
        {"name": hostile("Ann Lee", char), "slug": "ann-lee", "role": "", "bio": ""},
    )
    assert response.status_code == 302
    response = admin_client.post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("boats.jpg", jpeg_bytes()),
            "alt": hostile("Boats moored", char),
            "caption": hostile("Boats at dawn", char),
            "credit": hostile("Photo desk", char),
        },
    )
    assert response.status_code == 302
    response = admin_client.post(
        "/admin/articles/article/add/",
        article_form(
            section,
            [Author.objects.get()],
            headline=hostile("Storm closes the harbour", char),
            deck=hostile("Ferries stay in port.", char),
            tags=f'"{hostile("Storm watch", char)}"',
            hero_image=Image.objects.get().pk,
        ),
    )
    assert response.status_code == 302

    article = Article.objects.get()
    image, author, tag = article.hero_image, Author.objects.get(), Tag.objects.get()
    stored = [article.headline, article.deck, author.name, tag.name, image.caption]
    assert not text_problems(stored + [image.alt, image.credit])
    assert [words(value) for value in stored] == [
        "Storm closes the harbour",
        "Ferries stay in port.",
        "Ann Lee",
        "Storm watch",
        "Boats at dawn",
    ]
    assert not public_problems()


def test_prose_typed_in_the_admin_keeps_its_bidi_controls_closed(admin_client):
    response = admin_client.post(
        "/admin/articles/author/add/",
        {"name": "Dana", "slug": "dana", "role": "", "bio": f"Writes {RLO}on\r\nlaw"},
    )
    assert response.status_code == 302
    assert Author.objects.get().bio == f"Writes {RLO}on{PDF}\nlaw"
    article = make_article(headline="Election", authors=[Author.objects.get()])
    body = f"<p>{RLI}<em>quote</em>{PDI} and {RLO}more</p><p>next {PDF}</p>"
    response = admin_client.post(change_url(article), change_data(article, body=body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == (
        f"<p>{RLI}<em>quote</em>{PDI} and {RLO}more{PDF}</p><p>next </p>"
    )
    assert not public_problems()


def carries(fmt, char):
    """Whether a file of format `fmt` can hold `char` as it is."""
    if fmt == "ninjs":
        return True  # JSON escapes anything
    if fmt == "csv":
        # A CSV file is read line by line, and VT, FF and NEL end a line there.
        return len(f"a{char}b".splitlines()) == 1
    return char == RLO  # XML 1.0 has no controls, and no U+FFFE


def import_values(fmt, char):
    """Field values carrying `char` where format `fmt` can; the body carries it
    as an HTML character reference, which the sanitizer decodes, in any format."""
    mark = char if carries(fmt, char) else ""
    return {
        "headline": f"Storm {mark}closes the harbour",
        "deck": f"Ferries {mark}stay in port.",
        "byline": f"By Ann {mark}Lee",
        "tag": f"Storm {mark}watch",
        "caption": f"Boats {mark}at dawn",
        "credit": f"Photo {mark}desk",
        "body": f"<p>Ferries &#x{ord(char):X};stay in port.</p>",
    }


def import_one(tmp_path, fmt, uri, **values):
    """Import one article in format `fmt`; its picture is a local file."""
    (tmp_path / "boats.jpg").write_bytes(jpeg_bytes())
    name, content = import_file(fmt, uri, **values)
    path = tmp_path / name
    path.write_bytes(content)
    return run_import(path, media_dir=str(tmp_path))


@pytest.mark.parametrize("char", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("fmt", ["ninjs", "csv", "rss", "atom", "wxr"])
def test_imported_text_leaves_feeds_and_sitemaps_well_formed(fmt, char, tmp_path):
    ok, out, err = import_one(
        tmp_path, fmt, "urn:test:storm", **import_values(fmt, char)
    )
    assert ok, err

    article = Article.objects.get()
    image, author, tag = article.hero_image, Author.objects.get(), Tag.objects.get()
    stored = [article.headline, article.deck, author.name, tag.name, image.caption]
    assert not text_problems(stored + [image.alt, image.credit])
    assert [words(value) for value in stored] == [
        "Storm closes the harbour",
        "Ferries stay in port.",
        "Ann Lee",
        "Storm watch",
        "Boats at dawn",
    ]
    assert not not_text(article.body) and not unbalanced_bidi(article.body)
    assert words(clean_line(article.body)) == "<p>Ferries stay in port.</p>"
    assert not public_problems()


def test_a_cleaned_import_updates_on_the_next_run_and_is_then_unchanged(tmp_path):
    """The importer cleans as the model does, so the stored text is what the
    source said: a later version updates it instead of being skipped as edited
    locally, and the same version again is unchanged."""
    values = import_values("ninjs", RLO) | {"headline": f"Storm\ufffe {RLO}\x0bwarning"}
    # One publication time for every run (the default is "an hour ago", which
    # moves when the runs straddle a second).
    values["published"] = "2024-03-01T07:00:00+00:00"
    ok, out, err = import_one(tmp_path, "ninjs", "urn:test:storm", **values)
    assert ok, err
    values["deck"] = "Ferries sail again."
    for expected in ("0 created, 1 updated", "0 created, 0 updated, 1 unchanged"):
        ok, out, err = import_one(tmp_path, "ninjs", "urn:test:storm", **values)
        assert ok, err
        assert expected in out
    article = Article.objects.get()
    assert (article.headline, article.deck) == ("Storm warning", "Ferries sail again.")


def test_lone_surrogates_in_ninjs_are_dropped_not_a_failed_row(tmp_path):
    values = import_values("ninjs", "\ud800")
    ok, out, err = import_one(tmp_path, "ninjs", "urn:test:surrogate", **values)
    assert ok, err
    assert Article.objects.get().headline == "Storm closes the harbour"
    assert not public_problems()
