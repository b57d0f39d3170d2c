"""The text input policy (articles/text.py), in the admin and in imports.

A vertical tab or ESC in a headline used to make every feed answer 500, a
U+FFFE made the news sitemap ill-formed XML, and a right-to-left override
reversed whatever followed it in feed readers. Whatever editors type or
sources send, every feed, sitemap and JSON-LD block must stay well-formed.
"""

import pytest

from articles.text import clean_line, clean_markup, clean_prose

from .text_inputs import not_text, unbalanced_bidi

pytestmark = pytest.mark.django_db

LRE, RLE, PDF, LRO, RLO = "\u202a\u202b\u202c\u202d\u202e"
LRI, RLI, FSI, PDI = "\u2066\u2067\u2068\u2069"


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
