"""Bad import input gets a clear message naming the record; nothing else is harmed."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage

from articles.ingest.image_files import ImageRefused, check_host, image_file
from articles.models import MAX_TAGS_PER_ARTICLE, Article
from tests.ingest.test_import_articles import FIXTURES, run_import

HOSTILE = FIXTURES / "hostile"


def write_jsonl(path, *items):
    path.write_text("\n".join(json.dumps(item) for item in items) + "\n")
    return path


def item(uri, **fields):
    fields.setdefault("headline", f"Story {uri}")
    fields.setdefault("body_html", "<p>Text.</p>")
    return {"uri": uri, **fields}


@pytest.mark.django_db
class TestHostileXml:
    @pytest.mark.parametrize(
        "name", ["billion_laughs.xml", "external_entity.xml", "external_dtd.xml"]
    )
    def test_dtds_and_entities_are_refused(self, name):
        ok, _, err = run_import(HOSTILE / name, format="rss")
        assert not ok
        assert "DTD" in err and "refused for safety" in err
        assert not Article.objects.exists()

    def test_truncated_wxr_reports_line_and_keeps_nothing_half_written(self):
        ok, _, err = run_import(HOSTILE / "truncated_wxr.xml")
        assert not ok
        assert "truncated_wxr.xml, line" in err and "ill-formed XML" in err
        for article in Article.objects.all():
            assert article.headline and article.bylines.exists()

    def test_undeclared_html_entity_fails_clearly_after_earlier_items(self):
        ok, _, err = run_import(HOSTILE / "html_entities.rss")
        assert not ok
        assert "undefined entity" in err and "&nbsp;" in err
        assert list(Article.objects.values_list("source_uri", flat=True)) == ["ent-1"]

    def test_declared_latin1_is_decoded_correctly(self):
        ok, _, _ = run_import(HOSTILE / "latin1.rss")
        assert ok
        assert Article.objects.get().headline == "Café opens in München"

    def test_undeclared_non_utf8_is_detected_without_mojibake(self):
        ok, out, err = run_import(HOSTILE / "undeclared_latin1.rss")
        assert ok, err
        assert Article.objects.get().headline == "Café undeclared"
        assert "declares no encoding and is not UTF-8" in out + err

    def test_empty_file_is_a_clear_error(self):
        ok, _, err = run_import(HOSTILE / "empty.xml")
        assert not ok and "the file is empty" in err

    def test_csv_passed_as_wxr(self):
        ok, _, err = run_import(FIXTURES / "articles.csv", format="wxr")
        assert not ok and "not a WordPress export (WXR)" in err
        assert not Article.objects.exists()

    def test_rss_passed_as_wxr(self):
        ok, _, err = run_import(FIXTURES / "feed.rss", format="wxr")
        assert not ok and "use --format rss" in err

    def test_newsml_message_without_items_imports_nothing(self, tmp_path):
        path = tmp_path / "g2.xml"
        path.write_text('<?xml version="1.0"?><newsMessage><itemSet/></newsMessage>')
        ok, out, err = run_import(path)
        assert ok, err
        assert "g2.xml: IPTC NewsML-G2" in out
        assert "0 created, 0 updated, 0 unchanged, 0 skipped, 0 failed" in out


@pytest.mark.django_db
class TestBadRecords:
    def test_absurd_and_missing_dates(self, tmp_path):
        path = write_jsonl(
            tmp_path / "dates.jsonl",
            item("d:1", firstcreated="0001-01-01T00:00:00Z"),
            item("d:2", firstcreated="not a date"),
            item("d:3", firstcreated="2025-02-30T10:00:00Z"),
            item("d:4"),
        )
        ok, _, err = run_import(path)
        assert not ok
        assert "line 1: firstcreated: date out of range: 1" in err
        assert "line 2: firstcreated: unreadable date 'not a date'" in err
        assert "line 3: firstcreated: unreadable date" in err
        assert "1 created" in err and "3 failed" in err
        assert Article.objects.get().published_at is not None

    def test_ten_thousand_tags_are_capped_with_a_warning(self, tmp_path):
        tags = [{"name": f"tag {n}"} for n in range(10_000)]
        path = write_jsonl(tmp_path / "tags.jsonl", item("t:1", subjects=tags))
        ok, out, _ = run_import(path)
        assert ok
        assert f"10000 tags: only the first {MAX_TAGS_PER_ARTICLE} were kept" in out
        assert Article.objects.get().tags.count() == MAX_TAGS_PER_ARTICLE

    def test_over_long_fields_fail_the_record_on_every_database(self, tmp_path):
        path = write_jsonl(
            tmp_path / "long.jsonl",
            item("l:1", headline="H" * 301),
            item("l:2", by="A" * 250),
            item("l:3", subjects=[{"name": "x" * 5000}, {"name": "short"}]),
            item("l:4"),
        )
        ok, out, err = run_import(path)
        assert not ok
        assert "line 1: headline is 301 characters long; the limit is 300" in err
        assert "line 2: author name is 250 characters; the limit is 200" in err
        assert (
            f"line 3: tag “{'x' * 40}…” dropped: it is 5000 characters long; "
            "a tag can have at most 100"
        ) in out
        assert sorted(Article.objects.values_list("source_uri", flat=True)) == [
            "l:3",
            "l:4",
        ]
        assert list(Article.objects.get(source_uri="l:3").tags.names()) == ["short"]

    def test_nul_and_control_characters_are_stripped(self, tmp_path):
        path = write_jsonl(
            tmp_path / "nul.jsonl",
            item("n:1", headline="Nul\x00 in\x07 title", body_html="<p>a\x00b</p>"),
        )
        ok, _, _ = run_import(path)
        assert ok
        article = Article.objects.get()
        assert article.headline == "Nul in title"
        assert article.body == "<p>ab</p>"

    def test_scripts_in_bodies_are_removed_and_plain_fields_kept_as_text(
        self, tmp_path
    ):
        body = (
            '<p>Hi<script>alert(1)</script><img src=x onerror="alert(2)">'
            '<a href="jav&#x09;ascript:alert(3)">x</a></p><iframe src="//e"></iframe>'
        )
        path = write_jsonl(
            tmp_path / "xss.jsonl",
            item("x:1", headline="<b>Bold</b> claim", body_html=body),
        )
        ok, _, _ = run_import(path)
        assert ok
        article = Article.objects.get()
        assert "script" not in article.body and "onerror" not in article.body
        assert "iframe" not in article.body and "javascript" not in article.body
        assert article.headline == "<b>Bold</b> claim"  # escaped when shown

    def test_broken_json_line_fails_alone(self, tmp_path):
        path = tmp_path / "broken.jsonl"
        path.write_text(
            json.dumps(item("b:1"))
            + '\n{"uri": "b:2", "headline": NaN}\n{"uri": \n'
            + json.dumps(item("b:4"))
            + "\n"
        )
        ok, _, err = run_import(path)
        assert not ok
        assert "line 2: not valid JSON" in err and "line 3: not valid JSON" in err
        assert Article.objects.count() == 2

    def test_wrong_types_and_missing_identity(self, tmp_path):
        path = write_jsonl(
            tmp_path / "types.jsonl",
            {"headline": "No identity", "body_html": "<p>x</p>"},
            item("w:2", headline=["not", "a", "string"]),
            [1, 2, 3],
        )
        ok, out, err = run_import(path)
        assert not ok
        assert "line 1: no uri or guid" in err
        assert "line 3: not a ninjs object" in out
        assert Article.objects.get().status == Article.Status.DRAFT  # no headline

    def test_truncated_json_array(self, tmp_path):
        path = tmp_path / "cut.json"
        path.write_text(
            "[" + json.dumps(item("c:1")) + ", " + json.dumps(item("c:2"))[:20]
        )
        ok, _, err = run_import(path)
        assert not ok and "item 2: not valid JSON" in err
        assert Article.objects.count() == 1

    def test_mojibake_is_repaired(self, tmp_path):
        path = write_jsonl(
            tmp_path / "moji.jsonl", item("m:1", headline="The worldâ€™s best")
        )
        run_import(path)
        assert Article.objects.get().headline == "The world’s best"


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
class TestImages:
    def test_local_image_inside_media_dir_is_validated_and_stored(self, tmp_path):
        media = tmp_path / "import-media"
        media.mkdir()
        (media / "pic.png").write_bytes(png_bytes())
        csv = tmp_path / "a.csv"
        csv.write_text(
            "source_uri,headline,body,image,image_caption\n"
            "i:1,With picture,<p>x</p>,pic.png,A red square\n"
        )
        ok, _, _ = run_import(csv, media_dir=media)
        assert ok
        image = Article.objects.get().hero_image
        assert image.file and image.width == 4 and image.caption == "A red square"
        assert Path(image.file.path).exists()

    @pytest.mark.parametrize(
        "href", ["../secret.png", "/etc/passwd", "file:///etc/passwd"]
    )
    def test_paths_outside_media_dir_are_refused(self, tmp_path, href):
        media = tmp_path / "m"
        media.mkdir()
        (tmp_path / "secret.png").write_bytes(png_bytes())
        csv = tmp_path / "a.csv"
        csv.write_text(f"source_uri,headline,body,image\ni:1,H,<p>x</p>,{href}\n")
        ok, out, _ = run_import(csv, media_dir=media)
        assert ok
        assert "image not imported" in out
        assert Article.objects.get().hero_image is None

    def test_svg_is_refused(self, tmp_path):
        (tmp_path / "x.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        with pytest.raises(ImageRefused, match="SVG is not accepted"):
            image_file("x.svg", media_dir=tmp_path)

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/a.jpg",
            "http://localhost/a.jpg",
            "http://10.0.0.1/a.jpg",
            "http://169.254.169.254/latest",
            "http://[::1]/a.jpg",
            "ftp://example.org/a.jpg",
        ],
    )
    def test_fetching_refuses_non_public_addresses_and_schemes(self, url):
        with pytest.raises(ImageRefused):
            check_host(url)

    def test_remote_images_are_not_fetched_by_default(self):
        assert image_file("http://127.0.0.1:9/a.jpg") is None
