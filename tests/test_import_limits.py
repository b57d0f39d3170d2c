"""Import limits: record sizes, wide Unicode encodings and over-long tags."""

import json

import pytest

from articles.models import Article, Tag

from .test_import_articles import run_import

pytestmark = pytest.mark.django_db


def write_jsonl(path, *items):
    path.write_text("\n".join(json.dumps(item) for item in items) + "\n")
    return path


def item(uri, **fields):
    fields.setdefault("headline", f"Story {uri}")
    fields.setdefault("body_html", "<p>Text.</p>")
    return {"uri": uri, **fields}


class TestLongTags:
    def test_an_over_long_tag_is_dropped_with_a_warning_naming_it(self, tmp_path):
        long_tag = "Election night " + "z" * 5000
        path = write_jsonl(
            tmp_path / "tags.jsonl",
            item("t:1"),
            item("t:2", subjects=[{"name": long_tag}, {"name": "Politics"}]),
        )
        ok, out, err = run_import(path)
        assert ok, err
        assert (
            f"warning {path}, line 2: tag “Election night zzzzzzzzzzzzzzzzzzzzzzzzz…” "
            "dropped: it is 5015 characters long; a tag can have at most 100\n"
        ) in out
        assert list(Article.objects.get(source_uri="t:2").tags.names()) == ["Politics"]
        assert list(Tag.objects.values_list("name", flat=True)) == ["Politics"]

    def test_a_tag_of_exactly_the_limit_is_imported_whole(self, tmp_path):
        tag = "w" * 100
        path = write_jsonl(tmp_path / "tags.jsonl", item("t:1", subjects=[tag]))
        ok, out, err = run_import(path)
        assert ok, err
        assert "dropped" not in out
        assert list(Article.objects.get().tags.names()) == [tag]


WIDE_TEXTS = {
    "feed.rss": (
        '<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        "<item><title>Zürich — 東京</title><guid>w:1</guid>"
        "<description>Text</description></item></channel></rss>"
    ),
    "items.json": json.dumps(
        [{"uri": "w:1", "headline": "Zürich — 東京", "body_html": "<p>a</p>"}],
        ensure_ascii=False,
    ),
    "items.jsonl": json.dumps(
        {"uri": "w:1", "headline": "Zürich — 東京", "body_html": "<p>a</p>"},
        ensure_ascii=False,
    )
    + "\n",
    "table.csv": "source_uri,headline,body\nw:1,Zürich — 東京,<p>a</p>\n",
}
# codec, and whether Python's codec writes a byte order mark
WIDE_CODECS = [
    ("utf-16", True),
    ("utf-16-le", False),
    ("utf-16-be", False),
    ("utf-32", True),
    ("utf-32-le", False),
    ("utf-32-be", False),
]


class TestWideUnicode:
    @pytest.mark.parametrize("name", sorted(WIDE_TEXTS))
    @pytest.mark.parametrize(("codec", "bom"), WIDE_CODECS)
    def test_utf16_and_utf32_files_import_with_or_without_a_bom(
        self, tmp_path, name, codec, bom
    ):
        text = WIDE_TEXTS[name].replace("{encoding}", codec.upper())
        path = tmp_path / name
        path.write_bytes(text.encode(codec))
        ok, _, err = run_import(path)
        assert ok, err
        assert Article.objects.get().headline == "Zürich — 東京"

    def test_utf16_with_an_explicit_bom_and_byte_order(self, tmp_path):
        path = tmp_path / "items.jsonl"
        text = "\ufeff" + WIDE_TEXTS["items.jsonl"]
        path.write_bytes(text.encode("utf-16-be"))
        ok, _, err = run_import(path)
        assert ok, err
        assert Article.objects.get().headline == "Zürich — 東京"

    def test_broken_utf16_is_a_clear_error(self, tmp_path):
        path = tmp_path / "items.jsonl"
        data = WIDE_TEXTS["items.jsonl"].encode("utf-16")
        path.write_bytes(data + "\ud800".encode("utf-16-le", "surrogatepass"))
        ok, _, err = run_import(path)
        assert not ok
        assert f"failed {path}: not valid UTF-16 text (" in err
