"""Random text, odd characters and invalid bytes in every text field.

Each admin form (article add and change, author, section, tag, image) and
each import format (ninjs, CSV, RSS, Atom, WXR) gets about 50 examples, every
text field of the example filled with random Unicode: controls, non-characters,
bidi controls, lone surrogates, HTML character references. Request bodies and
import files are built as bytes here, so lone surrogates and invalid UTF-8
reach the server as they would from a broken client or source. Nothing may
answer 5xx or crash the import command, what is stored must follow the text
policy (articles/text.py), and afterwards every feed, sitemap and JSON-LD block
must be well-formed. The examples are the same on every run (derandomize).
"""

import itertools
import re
import uuid
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article, Author, Image, Section, Tag
from tests.editorial.test_admin import article_form
from tests.factories import jpeg_bytes, make_article, make_author, make_section
from tests.staff import change_data

from .test_text_policy import import_one
from .text_inputs import (
    not_text,
    public_problems,
    text_problems,
    to_bytes,
    unbalanced_bidi,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=50, deadline=None, derandomize=True, database=None)

ODD = [
    "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\r", "\r\n", "\t",
    "\u2028", "\u2029", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe",
    "\U0010ffff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
    "\u2067", "\u2068", "\u2069", "\u200f", "\u00a0", "\u00ad", "😀", "e\u0301",
    "&#x0B;", "&#xFFFE;", "&#x202E;", "&#xD800;", "&amp;", "<b>", "</p>", '"', ",",
]  # fmt: skip


def fuzz_text(nul=True):
    """Random text up to about 50 characters, raw bytes included. Django's form
    fields refuse NUL with a message before anything is saved, so the form
    tests leave it out to reach the database (test_nul_is_refused_with_a_message
    covers it)."""
    raw = st.binary(min_size=1, max_size=6)
    if not nul:
        raw = raw.map(lambda data: data.replace(b"\x00", b""))
    return st.lists(
        st.one_of(
            # Any code point but a surrogate: controls, non-characters...
            st.text(
                st.characters(exclude_characters=None if nul else "\x00"),
                max_size=8,
            ),
            st.sampled_from(ODD),
            st.characters(categories=["Cs"]),  # a lone surrogate
            # Invalid UTF-8: bytes that do not decode stand in the text as
            # U+DC80-U+DCFF (surrogateescape) until to_bytes writes them back.
            raw.map(lambda data: data.decode("utf-8", "surrogateescape")),
        ),
        max_size=6,
    ).map("".join)


FUZZ_TEXT = fuzz_text(nul=False)
# What XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Required fields: mostly a word first, so that the form can save.
WORD_FIRST = FUZZ_TEXT.map(lambda text: f"Word {text}")
REQUIRED_TEXT = st.one_of(WORD_FIRST, WORD_FIRST, FUZZ_TEXT)
numbers = itertools.count(1)


def urlencoded(data):
    return b"&".join(
        quote_from_bytes(to_bytes(str(k))).encode()
        + b"="
        + quote_from_bytes(to_bytes(str(v))).encode()
        for k, v in data.items()
    )


def multipart(data, boundary):
    parts = []
    for name, value in data.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
        if isinstance(value, tuple):  # (file name, bytes)
            parts.append(
                f'{head}; filename="{value[0]}"\r\n'
                "Content-Type: image/jpeg\r\n\r\n".encode()
                + value[1]
                + b"\r\n"
            )
        else:
            parts.append(f"{head}\r\n\r\n".encode() + to_bytes(str(value)) + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def post_bytes(client, url, data, as_multipart):
    """POST `data` as a body built here (the test client cannot encode lone
    surrogates or invalid UTF-8)."""
    if as_multipart:
        boundary = uuid.uuid4().hex
        return client.post(
            url,
            multipart(data, boundary),
            content_type=f"multipart/form-data; boundary={boundary}",
        )
    return client.post(
        url, urlencoded(data), content_type="application/x-www-form-urlencoded"
    )


# Prose keeps its line breaks and balanced bidi controls; every other text
# field is a single line, with neither.
PROSE_FIELDS = {"body", "bio", "text", "withdrawn_reason"}


def stored_problems(*objects):
    """Text the policy should have kept out of what is stored."""
    problems = []
    for obj in objects:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if not isinstance(value, str):
                continue
            label = f"{type(obj).__name__}.{field.name}"
            if field.name not in PROSE_FIELDS:
                problems += [f"{label}: {p}" for p in text_problems([value])]
            elif not_text(value) or any(map(unbalanced_bidi, value.split("\n"))):
                problems.append(f"{label}: {value!r}")
        if isinstance(obj, Article):
            problems += stored_problems(
                *obj.tags.all(), *Author.objects.filter(bylines__article=obj)
            )
            if obj.hero_image_id:
                problems += stored_problems(obj.hero_image)
            problems += stored_problems(*obj.corrections.all())
    return problems


@pytest.fixture
def editor():
    user = get_user_model().objects.create_superuser("chief", "c@example.com", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def slug_or_fuzz():
    """Mostly a fresh valid slug (so that the form can save), or random text."""
    fresh = st.builds(lambda: f"story-{next(numbers)}")
    return st.one_of(fresh, fresh, FUZZ_TEXT)


def check_form(editor, url, base, fuzzed, model, *, multipart_only=False):
    """Post the form data `base()` with the `fuzzed` fields drawn at random, 50
    times, urlencoded or multipart; then check everything public."""

    @FUZZ
    @given(values=st.fixed_dictionaries(fuzzed), as_multipart=st.booleans())
    def post(values, as_multipart):
        latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = post_bytes(
            editor, url, {**base(), **values}, as_multipart or multipart_only
        )
        assert response.status_code in (200, 302), response.status_code
        # What the post added, or on a change form the object it changed.
        written = model.objects.filter(pk__gt=latest or 0)
        if "/change/" in url:
            written = model.objects.filter(pk=latest)
        assert not stored_problems(*written)

    post()
    assert not public_problems()


TEXT_FIELDS = {
    **dict.fromkeys(
        ["kicker", "deck", "tags", "withdrawn_reason", "seo_title", "seo_description"],
        FUZZ_TEXT,
    ),
    "language": REQUIRED_TEXT.map(lambda text: text[:20]),
    "headline": REQUIRED_TEXT,
    # A published article needs a body: mostly a paragraph comes first.
    "body": st.one_of(
        *[FUZZ_TEXT.map(lambda text: f"<p>Story</p>{text}")] * 2, FUZZ_TEXT
    ),
}
URL_OR_FUZZ = st.one_of(
    st.just(""),
    st.just("https://example.org/story"),
    FUZZ_TEXT.map(lambda text: f"https://example.org/{text}"),
    FUZZ_TEXT,
)


def test_article_add_form(editor):
    section, author = make_section(slug="desk"), make_author()
    check_form(
        editor,
        "/admin/articles/article/add/",
        lambda: article_form(section, [author]),
        {**TEXT_FIELDS, "slug": slug_or_fuzz(), "canonical_url": URL_OR_FUZZ},
        Article,
    )


def test_article_change_form_and_corrections(editor):
    article = make_article(headline="Storm", tags=["Weather"])

    def base():
        article.refresh_from_db()
        return change_data(
            article,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-id": "",
                "corrections-0-kind": "correction",
                "corrections-0-article": article.pk,
            },
        )

    check_form(
        editor,
        f"/admin/articles/article/{article.pk}/change/",
        base,
        {**TEXT_FIELDS, "corrections-0-text": FUZZ_TEXT},
        Article,
    )


def test_author_form(editor):
    check_form(
        editor,
        "/admin/articles/author/add/",
        lambda: {"user": ""},
        {
            "name": REQUIRED_TEXT,
            "slug": slug_or_fuzz(),
            "role": FUZZ_TEXT,
            "bio": FUZZ_TEXT,
        },
        Author,
    )


def test_section_form(editor):
    check_form(
        editor,
        "/admin/articles/section/add/",
        lambda: {"position": "1"},
        {"name": REQUIRED_TEXT, "slug": slug_or_fuzz(), "description": FUZZ_TEXT},
        Section,
    )


def test_tag_form(editor):
    check_form(
        editor,
        "/admin/articles/tag/add/",
        dict,
        {"name": REQUIRED_TEXT, "slug": slug_or_fuzz()},
        Tag,
    )


def test_image_form(editor):
    check_form(
        editor,
        "/admin/articles/image/add/",
        lambda: {"file": ("boats.jpg", jpeg_bytes())},
        {"alt": REQUIRED_TEXT, "caption": FUZZ_TEXT, "credit": FUZZ_TEXT},
        Image,
        multipart_only=True,
    )


IMPORT_FIELDS = ("headline", "deck", "byline", "tag", "caption", "credit", "body")


@pytest.mark.parametrize("fmt", ["ninjs", "csv", "rss", "atom", "wxr"])
def test_import_formats(fmt, tmp_path):
    """An import either loads the record, text cleaned, or says why not."""

    @FUZZ
    @given(
        values=st.fixed_dictionaries(dict.fromkeys(IMPORT_FIELDS, fuzz_text())),
        well_formed=st.booleans(),
    )
    def run(values, well_formed):
        if well_formed and fmt in ("rss", "atom", "wxr"):
            values = {k: _NOT_XML.sub("", v) for k, v in values.items()}
        elif well_formed and fmt == "csv":
            values = {k: _SURROGATE.sub("", v) for k, v in values.items()}
        uri = f"urn:fuzz:{next(numbers)}"
        # Half the files hold only what the format can: XML without the
        # characters XML 1.0 refuses, JSON in ASCII with \u escapes.
        ok, out, err = import_one(tmp_path, fmt, uri, ascii=well_formed, **values)
        assert ok or "Traceback" not in err, err
        article = Article.objects.filter(source_uri=uri).first()
        if article is not None:
            assert not stored_problems(article)

    run()
    assert not public_problems()


@pytest.mark.parametrize("field", [*TEXT_FIELDS, "slug", "canonical_url"], ids=str)
def test_nul_is_refused_with_a_message(editor, field):
    section, author = make_section(slug="desk"), make_author()
    data = article_form(section, [author], **{field: "Storm\x00 warning"})
    response = post_bytes(editor, "/admin/articles/article/add/", data, False)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Article.objects.exists()
