"""Hostile and awkward import files, run through `manage.py import_articles`.

External entities and DTDs must never be fetched: a canary file's text must not
reach the database, and a loopback HTTP listener started here must see no
connection at all. Byte order marks and UTF-16 are read correctly, duplicate
identities in one file give one article, and tag spellings that differ only by
case, spacing or Unicode form give one tag.

Related cases live in tests/test_import_bad_input.py (billion laughs, the
fixture XXE/DTD files, truncated and ill-formed XML, wrong encodings, empty
files, a CSV or RSS passed as WXR, huge fields, NUL bytes, absurd dates,
10,000 tags) and tests/test_import_articles.py (duplicate identities in JSON
Lines); they are not repeated here.
"""

import json
import threading
import unicodedata
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles.models import Article, Tag
from tests.ingest.test_import_articles import run_import

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


class Listener(ThreadingHTTPServer):
    """A loopback HTTP server that records every connection it is offered."""

    daemon_threads = True

    def __init__(self, body):
        self.hits = []
        self.body = body
        super().__init__(("127.0.0.1", 0), Handler)

    def verify_request(self, request, client_address):
        self.hits.append(client_address)
        return True

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd")
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def canary(tmp_path):
    text = f"CANARY-{uuid.uuid4().hex}"
    path = tmp_path / "secret.txt"
    path.write_text(text)
    return path, text


@pytest.fixture
def listener(canary):
    _, text = canary
    server = Listener(f'<!ENTITY leak "{text}">'.encode())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def everything_stored():
    """Every text column of every article, as one string."""
    rows = Article.objects.values_list(
        "headline", "deck", "body", "kicker", "credit", "source_uri"
    )
    return " ".join(" ".join(str(v) for v in row) for row in rows)


def rss(doctype, title="&x;", guid="xxe-1"):
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel>'
        f"<item><title>{title}</title><guid>{guid}</guid>"
        f"<description>&lt;p&gt;Text&lt;/p&gt;</description></item>"
        f"</channel></rss>"
    )


def wxr(doctype, title="&x;"):
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><wp:wxr_version>1.2</wp:wxr_version>"
        f"<item><title>{title}</title><wp:post_id>1</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        "<content:encoded>Text</content:encoded></item></channel></rss>"
    )


def doctypes(canary_path, url):
    file_url = canary_path.as_uri()
    return {
        "file entity": f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{file_url}">]>',
        "http entity": f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{url}/entity">]>',
        "parameter entity": (
            f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p; '
            '<!ENTITY x "&leak;">]>'
        ),
        "external DTD": f'<!DOCTYPE rss SYSTEM "{url}/evil.dtd">',
        "public DTD": f'<!DOCTYPE rss PUBLIC "-//Evil//DTD//EN" "{url}/pub.dtd">',
    }


CASES = ["file entity", "http entity", "parameter entity", "external DTD", "public DTD"]


@pytest.mark.parametrize("fmt", ["rss", "wxr"])
@pytest.mark.parametrize("case", CASES)
def test_external_entities_and_dtds_are_never_fetched(
    tmp_path, canary, listener, case, fmt
):
    canary_path, canary_text = canary
    doctype = doctypes(canary_path, listener.url)[case]
    path = tmp_path / f"hostile.{fmt}.xml"
    path.write_text(rss(doctype) if fmt == "rss" else wxr(doctype))
    ok, out, err = run_import(path, format=fmt)
    assert not ok
    assert "refused for safety" in err, err
    assert listener.hits == [], "the importer connected to the loopback listener"
    assert canary_text not in everything_stored() + out + err
    assert not Article.objects.exists()


def test_xinclude_is_not_processed(tmp_path, canary, listener):
    canary_path, canary_text = canary
    title = (
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'href="{canary_path.as_uri()}" parse="text"/>Plain title'
    )
    path = tmp_path / "xinclude.xml"
    path.write_text(rss("", title=title))
    ok, _, err = run_import(path, format="rss")
    assert ok, err
    assert canary_text not in everything_stored()
    assert listener.hits == []


def test_the_listener_does_see_a_real_fetch(listener):
    """Guard: the listener counts connections, so 0 hits above means 0 fetches."""
    import urllib.request

    with urllib.request.urlopen(listener.url + "/probe", timeout=5) as response:
        response.read()
    assert len(listener.hits) == 1


# Byte order marks and UTF-16

CSV = (
    "source_uri,headline,body,tags\n"
    "csv:bom-1,Café on the square,<p>Text.</p>,Food\n"
    "csv:bom-2,Second story,<p>More.</p>,Food\n"
)


def test_csv_with_a_bom_matches_its_first_column_by_name(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(BOM + CSV.encode())
    ok, out, err = run_import(path)
    assert ok, err
    uris = sorted(Article.objects.values_list("source_uri", flat=True))
    assert uris == ["csv:bom-1", "csv:bom-2"]  # not "\ufeffsource_uri" unknown
    assert Article.objects.get(source_uri="csv:bom-1").headline == "Café on the square"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_with_a_bom_is_accepted(tmp_path, suffix):
    items = [
        {"uri": "json:bom-1", "headline": "Zürich votes", "body_html": "<p>a</p>"},
        {"uri": "json:bom-2", "headline": "Second", "body_html": "<p>b</p>"},
    ]
    if suffix == ".json":
        text = json.dumps(items, ensure_ascii=False)
    else:
        text = "\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(BOM + text.encode())
    ok, _, err = run_import(path)
    assert ok, err
    assert Article.objects.get(source_uri="json:bom-1").headline == "Zürich votes"
    assert Article.objects.count() == 2


def rss_text(title="Café in Zürich — 東京", encoding="UTF-8"):
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<item><title>{title}</title><guid>enc-1</guid>"
        "<description>Text</description></item></channel></rss>"
    )


def test_xml_with_a_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.rss"
    path.write_bytes(BOM + rss_text().encode())
    ok, _, err = run_import(path)
    assert ok, err
    assert Article.objects.get().headline == "Café in Zürich — 東京"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_xml_is_decoded(tmp_path, codec):
    text = rss_text(encoding="UTF-16")
    data = text.encode(codec)
    if codec != "utf-16":  # explicit byte order: add its BOM, as XML requires
        data = "\ufeff".encode(codec) + data
    path = tmp_path / "utf16.rss"
    path.write_bytes(data)
    ok, _, err = run_import(path)
    assert ok, err
    assert Article.objects.get().headline == "Café in Zürich — 東京"


# Duplicate identities inside one file (JSON Lines: tests/test_import_articles.py)


def test_duplicate_rows_in_a_csv_give_one_article(tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text(
        "source_uri,headline,body\n"
        "csv:dup,First,<p>a</p>\n"
        "csv:dup,Second,<p>b</p>\n"
        "csv:other,Other,<p>c</p>\n"
        "csv:dup,Third,<p>d</p>\n"
    )
    ok, out, err = run_import(path)
    assert ok, err
    assert "2 created" in out and "2 skipped" in out, out
    assert out.count("csv:dup appears earlier in this run") == 2, out
    assert Article.objects.get(source_uri="csv:dup").headline == "First"
    again_ok, again, _ = run_import(path)
    assert again_ok and "0 created" in again
    assert Article.objects.count() == 2


def test_duplicate_items_in_a_feed_give_one_article(tmp_path):
    items = "".join(
        f"<item><title>{title}</title><guid>feed:dup</guid>"
        "<description>x</description></item>"
        for title in ("First", "Second", "Third")
    )
    path = tmp_path / "dupes.rss"
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    )
    ok, out, err = run_import(path)
    assert ok, err
    assert "1 created" in out and "2 skipped" in out, out
    assert Article.objects.get().headline == "First"


# Tag spellings


VARIANTS = [
    "Python",
    "python",
    "  PYTHON  ",
    "Py\u200bthon",  # zero-width space
    "\uff30\uff59\uff54\uff48\uff4f\uff4e",  # full-width
    "Py\u00adthon",  # soft hyphen
]
CAFE_NFC = unicodedata.normalize("NFC", "Café Culture")
CAFE_NFD = unicodedata.normalize("NFD", "Café Culture")


def test_tag_spellings_differing_by_case_space_or_unicode_form_are_one_tag(tmp_path):
    assert CAFE_NFC != CAFE_NFD
    rows = ["source_uri,headline,body,tags"]
    for n, variant in enumerate(VARIANTS):
        cafe = CAFE_NFC if n % 2 else CAFE_NFD.replace(" ", "  ")
        rows.append(f'tag:{n},Story {n},<p>x</p>,"{variant};{cafe};{variant.lower()}"')
    path = tmp_path / "tags.csv"
    path.write_text("\n".join(rows) + "\n")
    ok, out, err = run_import(path)
    assert ok, err
    assert Article.objects.count() == len(VARIANTS)
    tags = sorted(Tag.objects.values_list("name", flat=True))
    assert len(tags) == 2, tags
    python = Tag.objects.get(key="python")
    cafe = Tag.objects.get(key="café culture")
    assert python.name == "Python"  # the first spelling met is kept
    assert unicodedata.is_normalized("NFC", cafe.name) and "  " not in cafe.name
    for article in Article.objects.all():
        assert sorted(article.tags.values_list("pk", flat=True)) == sorted(
            [python.pk, cafe.pk]
        )
