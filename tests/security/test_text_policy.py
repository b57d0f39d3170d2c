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
from tests.editorial import change_data, change_url
from tests.factories import jpeg_bytes, make_article, make_section
from tests.test_admin import article_form

from .text_inputs import (
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
