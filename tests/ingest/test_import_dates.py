"""Honest dates: a day alone stays a day, a time without a zone is read in the
source's zone (never silently UTC) and reported, an undated item takes its
feed's date, and readers see "Updated" only when the source updated a story."""

import re
from datetime import timedelta

import pytest

from articles.ingest.imports import NoSuchTimeZone, import_paths
from articles.models import Article
from tests.ingest.test_import_articles import run_import

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Harbour news</title>{channel}
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><guid>urn:example:dates:{n}</guid>
<author>ann@example.org (Ann Lee)</author>{dates}
<description>&lt;p&gt;Boats leave every ten minutes.&lt;/p&gt;</description></item>"""
ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour</title>
<id>urn:example:feed</id><updated>2024-03-09T10:00:00Z</updated>
<author><name>Ann Lee</name></author>
{entries}
</feed>
"""
ENTRY = """<entry><id>urn:example:dates:{n}</id><title>{title}</title>{dates}
<content type="html">&lt;p&gt;Boats leave every ten minutes.&lt;/p&gt;</content>
</entry>"""


def rss_file(tmp_path, *dated_items, channel=""):
    items = "\n".join(
        ITEM.format(n=n, title=f"Ferry story {n}", dates=dates)
        for n, dates in enumerate(dated_items, 1)
    )
    path = tmp_path / "feed.rss"
    path.write_text(RSS.format(channel=channel, items=items))
    return path


def atom_file(tmp_path, *dated_entries):
    entries = "\n".join(
        ENTRY.format(n=n, title=f"Ferry story {n}", dates=dates)
        for n, dates in enumerate(dated_entries, 1)
    )
    path = tmp_path / "feed.atom"
    path.write_text(ATOM.format(entries=entries))
    return path


def story(n):
    return Article.objects.get(source_uri=f"urn:example:dates:{n}")


def page_dates(client, article):
    """(the published <time> datetime and text, the "Updated" datetime or None)."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    dateline = re.search(r'class="dateline">(.*?)</p>', html, re.S)[1]
    published = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', dateline)
    updated = re.search(
        r'class="dateline__updated">Updated <time datetime="([^"]+)"', dateline
    )
    return (published[1], published[2]), updated and updated[1]


class TestTimesWithoutAZone:
    def test_are_read_in_the_zone_given_and_reported(self, tmp_path):
        feed = rss_file(
            tmp_path,
            "<pubDate>2020/1/10 14:33:00</pubDate>",  # winter: UTC+1
            "<pubDate>2024-07-01 09:00</pubDate>",  # summer: UTC+2
            "<pubDate>Mon, 01 Jul 2024 09:00:00 +0000</pubDate>",
            "<pubDate>Mon, 01 Jul 2024 09:00:00 -0000</pubDate>",  # UTC (RFC 5322)
        )
        ok, out, err = run_import(feed, time_zone="Europe/Rome")
        assert ok, err
        assert story(1).published_at.isoformat() == "2020-01-10T13:33:00+00:00"
        assert story(2).published_at.isoformat() == "2024-07-01T07:00:00+00:00"
        assert story(3).published_at.isoformat() == "2024-07-01T09:00:00+00:00"
        assert story(4).published_at.isoformat() == "2024-07-01T09:00:00+00:00"
        assert (
            "warning feed.rss, item 1: pubDate '2020/1/10 14:33:00' has no time "
            "zone: read as Europe/Rome"
        ) in out.replace(str(tmp_path) + "/", "")
        assert "item 3: pubDate" not in out and "item 4: pubDate" not in out
        assert "2 records had times without a zone; read as Europe/Rome." in out

    def test_default_to_the_sites_zone_not_utc(self, tmp_path, settings):
        settings.TIME_ZONE = "America/New_York"
        feed = rss_file(tmp_path, "<pubDate>2024-07-01 09:00</pubDate>")
        ok, out, err = run_import(feed)
        assert ok, err
        assert story(1).published_at.isoformat() == "2024-07-01T13:00:00+00:00"
        assert "1 record had times without a zone; read as America/New_York." in out

    def test_every_format_reads_them_in_the_zone_given(self, tmp_path):
        table = tmp_path / "articles.csv"
        table.write_text(
            "source_uri,headline,body,authors,published_at\n"
            "urn:example:dates:1,Ferry story,<p>Boats.</p>,Ann Lee,2024-07-01 09:00\n"
        )
        ninjs = tmp_path / "story.json"
        ninjs.write_text(
            '{"uri": "urn:example:dates:2", "headline": "Ferry story", '
            '"body_html": "<p>Boats.</p>", "by": "Ann Lee", '
            '"firstcreated": "2024-07-01T09:00:00"}'
        )
        result = import_paths([table, ninjs], time_zone="Asia/Tokyo")
        assert (result.created, result.failed) == (2, 0)
        assert story(1).published_at.isoformat() == "2024-07-01T00:00:00+00:00"
        assert story(2).published_at.isoformat() == "2024-07-01T00:00:00+00:00"
        assert result.time_zone == "Asia/Tokyo"
        assert [(p.position, p.message) for p in result.zoneless] == [
            ("line 2", "published_at"),
            ("line 1", "firstcreated"),
        ]
        assert result.zoneless_note == (
            "2 records had times without a zone; read as Asia/Tokyo"
        )

    def test_a_second_run_reads_them_the_same(self, tmp_path):
        feed = rss_file(tmp_path, "<pubDate>2024-07-01 09:00</pubDate>")
        import_paths([feed], time_zone="Europe/Rome")
        result = import_paths([feed], time_zone="Europe/Rome")
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)

    def test_an_unknown_zone_is_refused_before_anything_is_read(self, tmp_path):
        feed = rss_file(tmp_path, "<pubDate>2024-07-01 09:00</pubDate>")
        ok, out, err = run_import(feed, time_zone="Europe/Atlantis")
        assert not ok
        assert err == (
            "No time zone 'Europe/Atlantis': give an IANA name such as "
            "'Europe/Rome', 'America/New_York' or 'UTC'."
        )
        assert "Traceback" not in out + err
        with pytest.raises(NoSuchTimeZone):
            import_paths([feed], time_zone="../../etc/passwd")
        assert not Article.objects.exists()


class TestDays:
    def test_a_day_alone_is_shown_as_a_day(self, client, tmp_path):
        table = tmp_path / "articles.csv"
        table.write_text(
            "source_uri,headline,body,authors,published_at\n"
            "urn:example:dates:1,Ferry story,<p>Boats.</p>,Ann Lee,2024-03-01\n"
        )
        ok, _, err = run_import(table, time_zone="Europe/Rome")
        assert ok, err
        article = story(1)
        assert article.published_date_only
        assert article.published_at.isoformat() == "2024-02-29T23:00:00+00:00"
        (published, shown), updated = page_dates(client, article)
        assert (published, shown, updated) == ("2024-02-29", "29 February 2024", None)


class TestUndatedItems:
    def test_take_the_feeds_date_and_say_so(self, tmp_path):
        feed = rss_file(
            tmp_path,
            "",
            "<pubDate>Fri, 08 Mar 2024 07:00:00 GMT</pubDate>",
            channel="<pubDate>Sat, 09 Mar 2024 06:30:00 GMT</pubDate>",
        )
        ok, out, err = run_import(feed)
        assert ok, err
        assert story(1).published_at.isoformat() == "2024-03-09T06:30:00+00:00"
        assert story(2).published_at.isoformat() == "2024-03-08T07:00:00+00:00"
        assert (
            "item 1: no date of its own: the feed's (Sat, 09 Mar 2024 06:30:00 "
            "GMT) is used"
        ) in out
        assert "item 2: no date" not in out

    def test_an_atom_entry_takes_the_feeds_updated_time(self, tmp_path):
        ok, out, err = run_import(atom_file(tmp_path, ""))
        assert ok, err
        assert story(1).published_at.isoformat() == "2024-03-09T10:00:00+00:00"
        assert "entry 1: no date of its own: the feed's" in out

    def test_without_a_feed_date_the_first_import_dates_it_and_says_so(
        self, client, tmp_path
    ):
        ok, out, err = run_import(rss_file(tmp_path, ""))
        assert ok, err
        assert "item 1: no date, nor has the feed: dated when first imported" in out
        article = story(1)
        # Hours later the row changes (another import, a task): that time is
        # no update readers are shown.
        Article.objects.filter(pk=article.pk).update(
            updated_at=article.published_at + timedelta(hours=5)
        )
        assert page_dates(client, story(1))[1] is None


class TestUpdated:
    def test_an_atom_update_is_one_only_after_a_publication_time(
        self, client, tmp_path
    ):
        ok, _, err = run_import(
            atom_file(
                tmp_path,
                "<published>2024-03-01T07:00:00+01:00</published>"
                "<updated>2024-03-01T12:30:00+01:00</updated>",
                "<published>2024-03-01T07:00:00+01:00</published>"
                "<updated>2024-03-01T07:20:00+01:00</updated>",  # a fix-up
                "<updated>2024-03-01T12:30:00+01:00</updated>",  # published then
            )
        )
        assert ok, err
        assert page_dates(client, story(1)) == (
            ("2024-03-01T06:00:00+00:00", "1 March 2024, 06:00 UTC"),
            "2024-03-01T11:30:00+00:00",
        )
        assert page_dates(client, story(2))[1] is None
        assert page_dates(client, story(3)) == (
            ("2024-03-01T11:30:00+00:00", "1 March 2024, 11:30 UTC"),
            None,
        )

    def test_an_rss_items_atom_updated_is_its_update(self, client, tmp_path):
        ok, _, err = run_import(
            rss_file(
                tmp_path,
                "<pubDate>Fri, 01 Mar 2024 07:00:00 GMT</pubDate>"
                "<atom:updated>2024-03-02T09:15:00Z</atom:updated>",
                "<pubDate>Fri, 01 Mar 2024 07:00:00 GMT</pubDate>",
            )
        )
        assert ok, err
        assert page_dates(client, story(1))[1] == "2024-03-02T09:15:00+00:00"
        assert page_dates(client, story(2))[1] is None


WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Gazette</title>
{items}
</channel></rss>
"""
POST = """<item><title>{title}</title><link>https://gazette.example/{slug}/</link>
<dc:creator>Gina Holt</dc:creator>
<guid isPermaLink="false">https://gazette.example/?p={guid}</guid>
<content:encoded><![CDATA[<p>Winter sailings start on Monday.</p>]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>2024-01-02 11:00:00</wp:post_date>
<wp:post_date_gmt>{gmt}</wp:post_date_gmt><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>"""


class TestWordPressPosts:
    def test_post_date_without_gmt_is_read_in_the_zone_given(self, tmp_path):
        path = tmp_path / "export.xml"
        path.write_text(
            WXR.format(
                items=POST.format(
                    title="Ferry", slug="ferry", guid=10, post_id=10, gmt="0000-00-00"
                )
            )
        )
        result = import_paths([path], time_zone="Europe/Oslo")
        article = Article.objects.get()
        assert article.published_at.isoformat() == "2024-01-02T10:00:00+00:00"
        assert result.zoneless_note == (
            "1 record had times without a zone; read as Europe/Oslo"
        )

    def test_a_copied_post_keeping_the_originals_guid_is_a_post_of_its_own(
        self, tmp_path
    ):
        gmt = "2024-01-02 10:00:00"
        path = tmp_path / "export.xml"
        path.write_text(
            WXR.format(
                items=POST.format(
                    title="Ferry", slug="ferry", guid=10, post_id=10, gmt=gmt
                )
                + POST.format(
                    title="Ferry, again", slug="ferry-2", guid=10, post_id=12, gmt=gmt
                )
            )
        )
        for _ in range(2):
            result = import_paths([path])
        assert (result.created, result.unchanged, result.skipped) == (0, 2, 0)
        assert sorted(Article.objects.values_list("source_uri", "headline")) == [
            ("https://gazette.example/?p=10", "Ferry"),
            ("https://gazette.example/ferry-2/", "Ferry, again"),
        ]
        assert [w.message for w in result.warnings] == [
            "shares its guid with post 10: identified by its link "
            "https://gazette.example/ferry-2/"
        ]
