"""Import files in the world's encodings: the exact text arrives, the report says how.

The files are written here, byte for byte, in the encodings real feeds use;
the real-world files in ../shared/fixtures/real are checked in test_import_real.
"""

from datetime import UTC, datetime

import pytest

from articles.models import Article

from .test_import_articles import run_import

pytestmark = pytest.mark.django_db

FRENCH = "Une très belle journée à l’école: où êtes-vous, Noël?"
RUSSIAN = "Правительство утвердило новый бюджет на следующий год"
CHINESE = "建国35周年纪念，华表，和平鸽"
JAPANESE = "東京で新しい美術館が開館しました"


def rss(headline, *, declaration="", body="Le texte de l’article.", date=None):
    date = date or "Wed, 17 Oct 2018 10:30:00 GMT"
    return (
        f"{declaration}<rss version='2.0'><channel><title>Feed</title>"
        f"<item><title>{headline}</title><guid>urn:test:1</guid>"
        f"<description>{body}</description><pubDate>{date}</pubDate>"
        "<author>Ann Writer</author></item></channel></rss>"
    )


def import_bytes(tmp_path, data, name="feed.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    ok, out, err = run_import(path)
    assert ok, out + err
    return Article.objects.get(source_uri="urn:test:1"), out + err


def declared(encoding):
    return f"<?xml version='1.0' encoding='{encoding}'?>"


def test_latin1_without_a_declaration_is_read_as_windows_1252(tmp_path):
    # French in Latin-1 is also plausible as windows-1250 ("très" -> "trčs").
    article, report = import_bytes(tmp_path, rss(FRENCH).encode("latin-1", "replace"))
    assert article.headline == FRENCH.replace("’", "?")
    assert "declares no encoding and is not UTF-8: read as windows-1252" in report


def test_windows_1252_punctuation_without_a_declaration(tmp_path):
    article, _ = import_bytes(tmp_path, rss(FRENCH).encode("cp1252"))
    assert article.headline == FRENCH
    assert article.deck == "" and article.body == "<p>Le texte de l’article.</p>"


def test_utf8_wins_over_a_wrong_declaration(tmp_path):
    data = rss(FRENCH, declaration=declared("ISO-8859-1")).encode()
    article, report = import_bytes(tmp_path, data)
    assert article.headline == FRENCH
    assert "declares ISO-8859-1 but is UTF-8: read as UTF-8" in report


def test_a_right_declaration_is_believed(tmp_path):
    data = rss(FRENCH, declaration=declared("windows-1252")).encode("cp1252")
    article, report = import_bytes(tmp_path, data)
    assert article.headline == FRENCH
    assert "encoding" not in report.split("\n", 1)[1]  # nothing to explain


@pytest.mark.parametrize(
    ("encoding", "headline"),
    [
        ("gb2312", CHINESE),
        ("GBK", CHINESE),
        ("Shift_JIS", JAPANESE),
        ("EUC-JP", JAPANESE),
        ("windows-1251", RUSSIAN),
        ("KOI8-R", RUSSIAN),
        ("ISO-8859-5", RUSSIAN),
        ("Big5", "颱風過後，臺北市恢復供電"),
        ("EUC-KR", "서울에서 새 도서관이 문을 열었다"),
    ],
)
def test_declared_legacy_encodings_are_transcoded(tmp_path, encoding, headline):
    data = rss(headline, declaration=declared(encoding), body="x").encode(encoding)
    article, report = import_bytes(tmp_path, data)
    assert article.headline == headline
    assert "0 failed" in report


def test_undeclared_cyrillic_is_detected(tmp_path):
    body = " ".join([RUSSIAN] * 20)
    article, report = import_bytes(tmp_path, rss(RUSSIAN, body=body).encode("cp1251"))
    assert article.headline == RUSSIAN
    assert "read as windows-1251 (detected)" in report


@pytest.mark.parametrize("before", ["\n", "\r\n  ", "\ufeff\n"])
def test_whitespace_before_the_declaration_is_tolerated(tmp_path, before):
    data = (before + rss(FRENCH, declaration=declared("UTF-8"))).encode()
    article, _ = import_bytes(tmp_path, data)
    assert article.headline == FRENCH


def test_csv_in_a_legacy_encoding(tmp_path):
    csv = (
        "source_uri,headline,body,published_at\n"
        f'urn:test:1,"{FRENCH}",Texte,2024-05-01\n'
    )
    article, report = import_bytes(tmp_path, csv.encode("cp1252"), name="a.csv")
    assert article.headline == FRENCH
    assert "read as windows-1252 (detected)" in report


def test_a_second_run_is_unchanged(tmp_path):
    data = rss(CHINESE, declaration=declared("gb2312"), body="x").encode("gb2312")
    import_bytes(tmp_path, data)
    ok, out, _ = run_import(tmp_path / "feed.xml")
    assert ok and "0 created, 0 updated, 1 unchanged" in out


def test_slash_dates_are_read_in_the_sites_zone(tmp_path, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    data = rss(CHINESE, declaration=declared("gb2312"), date="2020/1/10 14:33:00")
    article, _ = import_bytes(tmp_path, data.encode("gb2312"))
    expected = datetime(2020, 1, 10, 6, 33, tzinfo=UTC)
    assert article.published_at == expected


def test_a_date_missing_its_day_is_not_invented(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(rss(FRENCH, date="octobre 2018"))
    ok, out, err = run_import(path)
    assert not ok
    assert "pubDate: unreadable date 'octobre 2018'" in out + err


def test_an_empty_item_is_skipped_with_its_reason(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(
        rss(FRENCH).replace(
            "</channel>", "<item><title></title><link></link></item></channel>"
        )
    )
    ok, out, err = run_import(path)
    assert ok
    assert "item 2: an empty item: no title, text, guid or link" in out + err


def test_an_unknown_declared_encoding_on_utf8_bytes_is_read_as_utf8(tmp_path):
    data = rss(FRENCH, declaration=declared("U-TF-8")).encode()
    article, report = import_bytes(tmp_path, data)
    assert article.headline == FRENCH
    assert "declares an unknown encoding 'U-TF-8': read as UTF-8" in report
