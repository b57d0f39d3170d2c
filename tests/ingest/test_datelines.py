"""Datelines read from the opening of a story: what is one, and what is not."""

import pytest

from articles.ingest.parsers.datelines import (
    Dateline,
    parse_dateline,
    split_dateline,
    take_dateline,
)

# (opening, (place, date, source) or None when it is an ordinary sentence)
OPENINGS = [
    ("CAIRO — Egypt's president met", ("CAIRO", "", "")),
    ("WASHINGTON (AP) — The Senate voted", ("WASHINGTON", "", "AP")),
    ("LONDON, Dec 3 (Reuters) - Britain's economy", ("LONDON", "Dec 3", "Reuters")),
    ("LONDON, Dec. 3 (Reuters) — Shares fell", ("LONDON", "Dec. 3", "Reuters")),
    ("KYIV, Ukraine — Russian drones struck", ("KYIV, Ukraine", "", "")),
    ("Paris — The city's mayor said", ("Paris", "", "")),
    ("NEW YORK — Stocks rose on Tuesday", ("NEW YORK", "", "")),
    ("SAN FRANCISCO (AP) — A judge ruled", ("SAN FRANCISCO", "", "AP")),
    ("RIO DE JANEIRO — Carnival began", ("RIO DE JANEIRO", "", "")),
    ("Rio de Janeiro — Carnival began", ("Rio de Janeiro", "", "")),
    ("PORT-AU-PRINCE, Haiti — Gangs blocked", ("PORT-AU-PRINCE, Haiti", "", "")),
    ("ST. PETERSBURG, Russia — Snow fell", ("ST. PETERSBURG, Russia", "", "")),
    ("ALBANY, N.Y. (AP) — Lawmakers agreed", ("ALBANY, N.Y.", "", "AP")),
    ("OSLO, March 1 (EXW) - The bridge reopened", ("OSLO", "March 1", "EXW")),
    ("BRUSSELS, 3 December (AFP) – EU ministers", ("BRUSSELS", "3 December", "AFP")),
    ("TOKYO (Reuters) -- The yen weakened", ("TOKYO", "", "Reuters")),
    ("BERLIN (dpa) — Die Regierung", ("BERLIN", "", "dpa")),
    ("OSLO (NTB): Regjeringen legger fram", ("OSLO", "", "NTB")),
    ("GENEVA — “We are alarmed,” the agency said", ("GENEVA", "", "")),
    ("MOSCOW — 2024 was a hard year", ("MOSCOW", "", "")),
    # Ordinary sentences.
    ("But the rest — as they say — is history.", None),
    ("Paris is burning — again.", None),
    ("The minister said — in a surprise move — that", None),
    ("NATO — the alliance — said on Monday", None),
    ("Meanwhile — In another part of town", None),
    ("UPDATE — The road is open again", None),
    ("BREAKING: The polls have closed", None),
    ("WATCH: The moment the bridge fell", None),
    ("Photo: Reuters", None),
    ("Mr. Biden — who spoke first — said", None),
    ("It was, he said — and he meant it — over.", None),
    ("In London — The mayor", None),
    ("The LONDON — Paris route reopened", None),
    ("“Never again” — that was the promise.", None),
    ("2024 — A year of elections", None),
    ("iPhone sales — up again", None),
    ("CAIRO —", None),  # a dateline with no story after it is no opening
    ("Editor’s note — This story was updated", None),
    ("The FBI — which declined to comment — said", None),
]


@pytest.mark.parametrize(
    ("opening", "expected"),
    OPENINGS,
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_openings(opening, expected):
    found, rest = split_dateline(opening)
    if expected is None:
        assert found is None
        assert rest == opening
    else:
        assert found == Dateline(*expected)
        assert rest and not rest[0].isspace()
        assert opening.endswith(rest)


def test_the_table_holds_at_least_fifteen_of_each_kind():
    assert sum(expected is None for _, expected in OPENINGS) >= 15
    assert sum(expected is not None for _, expected in OPENINGS) >= 15


def test_the_first_paragraph_loses_its_dateline_and_keeps_its_markup():
    body = "<p>CAIRO — Egypt's <em>president</em> met</p><p>CAIRO — again</p>"
    found, rest = take_dateline(body)
    assert found == Dateline("CAIRO")
    assert rest == "<p>Egypt's <em>president</em> met</p><p>CAIRO — again</p>"


def test_a_dateline_in_markup_goes_with_its_markup():
    body = "<p><strong>KYIV, Ukraine</strong> &mdash; Drones &amp; missiles</p>"
    found, rest = take_dateline(body)
    assert found == Dateline("KYIV, Ukraine")
    assert rest == "<p>Drones &amp; missiles</p>"


def test_a_dateline_inside_a_span_leaves_the_span_open_around_the_rest():
    found, rest = take_dateline('<p><span lang="en">OSLO — Ice</span></p>')
    assert found == Dateline("OSLO")
    assert rest == '<p><span lang="en">Ice</span></p>'


@pytest.mark.parametrize(
    "body",
    [
        "<p>But the rest — as they say — is history.</p>",
        "<h2>CAIRO — a subhead</h2><p>Text</p>",
        "<blockquote><p>CAIRO — Quoted</p></blockquote>",
        "",
    ],
)
def test_bodies_without_an_opening_dateline_are_left_alone(body):
    assert take_dateline(body) == (None, body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OSLO, March 1 (EXW) -", Dateline("OSLO", "March 1", "EXW")),
        ("ROTTERDAM", Dateline("ROTTERDAM")),
        ("Bergen", Dateline("Bergen")),
        ("SKERRY POINT —", Dateline("SKERRY POINT")),
        ("", None),
        ("by the river, at dawn", None),
    ],
)
def test_a_dateline_given_on_its_own(text, expected):
    assert parse_dateline(text) == expected
