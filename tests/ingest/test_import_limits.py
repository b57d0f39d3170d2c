"""Import limits: record sizes, wide Unicode encodings and over-long tags."""

import json
import tracemalloc

import pytest

from articles.models import Article, Tag

from .test_import_articles import run_import
from .test_import_bad_input import item, write_jsonl

pytestmark = pytest.mark.django_db


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


MB = 1 << 20
PARAGRAPH = "<p>" + "x" * 1017 + "</p>"  # 1 KB
RSS_HEAD = (
    '<?xml version="1.0"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
)
WXR_HEAD = (
    '<?xml version="1.0"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title>'
)


def write_big(path, fmt, body_size):
    """A file of three records whose second has a body of `body_size`
    characters, written a paragraph at a time."""
    paragraphs = body_size // len(PARAGRAPH)
    with open(path, "w") as out:

        def big_body(end=""):
            for _ in range(paragraphs):
                out.write(PARAGRAPH + end)

        if fmt in ("rss", "wxr"):
            out.write(RSS_HEAD if fmt == "rss" else WXR_HEAD)
            for n in (1, 2, 3):
                out.write(f"<item><title>Story {n}</title><guid>s:{n}</guid>")
                if fmt == "wxr":
                    out.write("<wp:post_type>post</wp:post_type>")
                out.write("<content:encoded><![CDATA[")
                big_body() if n == 2 else out.write(f"<p>Story {n}.</p>")
                out.write("]]></content:encoded></item>")
            out.write("</channel></rss>")
        elif fmt == "atom":
            out.write('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>')
            for n in (1, 2, 3):
                out.write(f"<entry><title>Story {n}</title><id>s:{n}</id>")
                out.write('<content type="html">')
                if n == 2:  # escaped, as type="html" is
                    for _ in range(paragraphs):
                        out.write(PARAGRAPH.replace("<", "&lt;").replace(">", "&gt;"))
                else:
                    out.write(f"&lt;p&gt;Story {n}.&lt;/p&gt;")
                out.write("</content></entry>")
            out.write("</feed>")
        elif fmt in ("jsonl", "json"):
            out.write("[" if fmt == "json" else "")
            for n in (1, 2, 3):
                out.write(f'{{"uri": "s:{n}", "headline": "Story {n}", "body_html": "')
                big_body() if n == 2 else out.write(f"<p>Story {n}.</p>")
                out.write('"}')
                out.write(("," if n < 3 else "]") if fmt == "json" else "\n")
        else:
            out.write("source_uri,headline,body\n")
            for n in (1, 2, 3):
                out.write(f's:{n},Story {n},"')
                big_body("\n") if n == 2 else out.write(f"<p>Story {n}.</p>")
                out.write('"\n')
    return path


BIG_ITEM_REFUSALS = {
    "rss": "item 2: body (content:encoded) is 40 MB, over the 2 MB limit",
    "wxr": "item 2: body (content:encoded) is 40 MB, over the 2 MB limit",
    "atom": "entry 2: body (content) is 40 MB, over the 2 MB limit",
    "jsonl": "line 2: the record is 40 MB, over the 4 MB limit",
    "json": "item 2: the record is 40 MB, over the 4 MB limit",
    "csv": "line 3: the record is 40 MB, over the 4 MB limit",
}


class TestRecordSizes:
    @pytest.mark.parametrize("fmt", sorted(BIG_ITEM_REFUSALS))
    def test_a_huge_record_is_refused_while_read_and_the_rest_imports(
        self, tmp_path, fmt
    ):
        path = write_big(tmp_path / f"big.{fmt}", fmt, 40 * MB)
        tracemalloc.start()
        try:
            ok, _, err = run_import(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert not ok
        assert f"failed {path}, {BIG_ITEM_REFUSALS[fmt]}\n" in err
        assert "2 created" in err and "1 failed" in err
        assert sorted(Article.objects.values_list("source_uri", flat=True)) == [
            "s:1",
            "s:3",
        ]
        # The refused record is never held whole: a quarter of it at most (the
        # JSON reader keeps up to the 4 MB record limit before giving up).
        assert peak < 10 * MB, f"{peak / MB:.1f} MB"


KB = 1 << 10


def rss(*items):
    return RSS_HEAD + "".join(items) + "</channel></rss>"


def rss_item(n, body="<p>Text.</p>", extra=""):
    return (
        f"<item><title>Story {n}</title><guid>s:{n}</guid>{extra}"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


class TestEachLimit:
    """Body 4 KB, other fields 1 KB, a whole record 8 KB."""

    @pytest.fixture(autouse=True)
    def small_limits(self, settings):
        settings.NEWSROOM_IMPORT_MAX_BODY = 4 * KB
        settings.NEWSROOM_IMPORT_MAX_FIELD = 1 * KB

    def imported(self):
        return sorted(Article.objects.values_list("source_uri", flat=True))

    def test_a_body_of_exactly_the_limit_imports(self, tmp_path):
        body = "<p>" + "x" * (4 * KB - 7) + "</p>"
        path = write_jsonl(tmp_path / "a.jsonl", item("s:1", body_html=body))
        ok, _, err = run_import(path)
        assert ok, err
        assert len(Article.objects.get().body) == 4 * KB

    def test_a_body_over_the_limit_in_a_record_under_it_is_refused(self, tmp_path):
        body = "<p>" + "x" * (6 * KB - 7) + "</p>"
        path = write_jsonl(
            tmp_path / "a.jsonl", item("s:1", body_html=body), item("s:2")
        )
        ok, _, err = run_import(path)
        assert not ok
        assert f"failed {path}, line 1: body is 6 KB, over the 4 KB limit\n" in err
        assert self.imported() == ["s:2"]

    def test_another_field_over_its_limit_is_refused(self, tmp_path):
        path = tmp_path / "a.rss"
        title = f"<title>{'T' * 2 * KB}</title>"
        path.write_text(rss(rss_item(1), rss_item(2, extra=title), rss_item(3)))
        ok, _, err = run_import(path)
        assert not ok
        assert f"failed {path}, item 2: title is 2 KB, over the 1 KB limit\n" in err
        assert self.imported() == ["s:1", "s:3"]

    def test_many_small_fields_over_the_record_limit_are_refused(self, tmp_path):
        path = tmp_path / "a.rss"
        tags = "".join(f"<category>tag {n:04}</category>" for n in range(1100))
        path.write_text(rss(rss_item(1), rss_item(2, extra=tags), rss_item(3)))
        ok, _, err = run_import(path)
        assert not ok
        assert (
            f"failed {path}, item 2: the whole item is 8.6 KB, over the 8 KB limit\n"
        ) in err
        assert self.imported() == ["s:1", "s:3"]

    def test_an_xhtml_body_of_many_small_elements_is_refused(self, tmp_path):
        paragraphs = "".join(f"<p>{'x' * 1020}</p>" for _ in range(6))
        entry = (
            "<entry><title>Story {n}</title><id>s:{n}</id>"
            '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            "{body}</div></content></entry>"
        )
        path = tmp_path / "a.atom"
        path.write_text(
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            + entry.format(n=1, body="<p>One.</p>")
            + entry.format(n=2, body=paragraphs)
            + entry.format(n=3, body="<p>Three.</p>")
            + "</feed>"
        )
        ok, _, err = run_import(path)
        assert not ok
        assert (
            f"failed {path}, entry 2: body (content) is 6 KB, over the 4 KB limit\n"
        ) in err
        assert self.imported() == ["s:1", "s:3"]

    def test_huge_text_outside_any_item_fails_the_file_clearly(self, tmp_path):
        path = tmp_path / "a.rss"
        path.write_text(
            RSS_HEAD.replace("<title>T</title>", f"<title>{'T' * 5 * KB}</title>")
            + rss_item(1)
            + "</channel></rss>"
        )
        ok, _, err = run_import(path)
        assert not ok
        assert (
            f"failed {path}: <title> outside any item is 5 KB, over the 4 KB limit\n"
        ) in err

    def test_a_csv_row_over_the_limit_on_one_line_is_refused(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text(
            "source_uri,headline,body\n"
            "s:1,One,<p>One.</p>\n"
            f"s:2,Two,<p>{'x' * 9 * KB}</p>\n"
            's:3,Three,"<p>Three,\nwith ""quotes"".</p>"\n'
        )
        ok, _, err = run_import(path)
        assert not ok
        assert (
            f"failed {path}, line 3: the record is 9 KB, over the 8 KB limit\n" in err
        )
        assert self.imported() == ["s:1", "s:3"]
        assert Article.objects.get(source_uri="s:3").body == (
            '<p>Three,\nwith "quotes".</p>'
        )

    def test_a_json_array_item_over_the_limit_is_stepped_over(self, tmp_path):
        items = [item("s:1"), item("s:2", body_html="x" * 9 * KB), item("s:3")]
        path = tmp_path / "a.json"
        path.write_text(json.dumps(items))
        ok, _, err = run_import(path)
        assert not ok
        assert (
            f"failed {path}, item 2: the record is 9.1 KB, over the 8 KB limit" in err
        )
        assert self.imported() == ["s:1", "s:3"]
