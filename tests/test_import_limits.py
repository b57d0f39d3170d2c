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
