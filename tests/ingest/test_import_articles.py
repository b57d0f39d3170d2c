"""import_articles: each format, idempotency, edited-locally, dry runs, the seed
page and the command's summary and exit status."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Author, Image, RelatedLink, Section, Tag
from articles.search import search_articles
from articles.tasks import finish_pending_work
from tests.factories import make_article, make_section

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
SEED = SHARED / "scraped" / "000_ef67a42decea7b7e.txt"


def run_import(*args, **options):
    """Run the command; returns (succeeded, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_articles", *map(str, args), stdout=out, stderr=err, **options
        )
    except CommandError as exc:
        err.write(str(exc))
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


def authors_of(article):
    return [author.name for author in article.byline_authors]


def tags_of(article):
    return sorted(article.tags.names())


@pytest.mark.django_db
class TestNinjsImport:
    def test_ninjs_1x_maps_headline_body_byline_tags_and_image(self):
        ok, out, _ = run_import(FIXTURES / "ninjs1_harbour.json")
        assert ok
        assert "IPTC ninjs" in out
        article = Article.objects.get(source_uri="urn:example:ninjs1:harbour-bridge")
        assert article.headline == "Harbour bridge reopens after repairs"
        assert article.deck == "Traffic is flowing again after six weeks of works."
        assert article.body.startswith("<p>The bridge reopened at dawn.</p>")
        assert authors_of(article) == ["Ann Lee", "Bo Ek"]
        assert article.credit == "Reuters"
        assert tags_of(article) == ["Harbour", "Transport"]
        # firstcreated wins over versioncreated; +01:00 is kept as an instant.
        assert article.published_at.isoformat() == "2024-03-01T07:00:00+00:00"
        assert article.status == Article.Status.PUBLISHED
        image = article.hero_image
        assert image.source_uri == "urn:example:picture:bridge"
        assert image.caption == "The bridge at dawn."
        assert image.credit == "Cy Li/TT"
        assert {r["name"] for r in image.renditions} == {"thumbnail", "viewImage"}
        assert not image.file  # remote images are fetched only with --fetch-images

    def test_ninjs_2x_json_lines_prefer_html_and_skip_pictures(self):
        ok, out, _ = run_import(FIXTURES / "ninjs2.jsonl")
        assert ok
        assert "2 created" in out and "1 skipped" in out
        assert "line 2: a picture item, not an article" in out
        budget = Article.objects.get(source_uri="urn:example:ninjs2:budget")
        assert budget.body == (
            "<p>The vote came at <em>midnight</em>.</p>"
            "<p>Both sides claimed victory.</p>"
        )
        assert authors_of(budget) == ["Dora Maar"]
        assert budget.credit == "dpa"
        plain = Article.objects.get(source_uri="urn:example:ninjs2:plain")
        assert (
            plain.body == "<p>First paragraph still first.</p><p>Second paragraph.</p>"
        )
        # The embargo, later than firstcreated, decides the publication time.
        assert plain.published_at.isoformat() == "2024-05-12T06:00:00+00:00"

    def test_ninjs_3x_camel_case_array(self):
        ok, _, _ = run_import(FIXTURES / "ninjs3_camelcase_array.json")
        assert ok
        tour = Article.objects.get(source_uri="urn:example:ninjs3:tour")
        assert tour.headline == "Tour tightens doping checks"
        assert tour.deck == "The toughest regime yet."
        assert tags_of(tour) == ["Cycling", "Sport"]
        assert tour.published_at.isoformat() == "2023-10-07T20:00:00+00:00"
        held = Article.objects.get(source_uri="urn:example:ninjs3:withheld")
        assert held.status == Article.Status.DRAFT
        assert held.published_at is None

    def test_genre_matching_a_section_chooses_it(self):
        city = make_section(name="City", slug="city")
        run_import(FIXTURES / "ninjs1_harbour.json")
        assert Article.objects.get().section == city

    def test_without_a_matching_section_articles_go_to_news(self):
        run_import(FIXTURES / "ninjs1_harbour.json")
        assert Article.objects.get().section.slug == "news"

    def test_section_option_wins(self):
        sport = make_section(name="Sport", slug="sport")
        make_section(name="City", slug="city")
        run_import(FIXTURES / "ninjs1_harbour.json", section="sport")
        assert Article.objects.get().section == sport

    def test_unknown_section_option_is_an_error(self):
        ok, _, err = run_import(FIXTURES / "ninjs1_harbour.json", section="nope")
        assert not ok and "No section 'nope'" in err
        assert not Article.objects.exists()


@pytest.mark.django_db
class TestWxrImport:
    def test_posts_only_with_states_tags_section_and_featured_image(self):
        transport = make_section(name="Transport", slug="transport")
        ok, out, _ = run_import(FIXTURES / "wordpress.xml")
        assert ok
        assert "WordPress export (WXR)" in out
        assert "3 created" in out and "2 skipped" in out
        assert "a WordPress attachment, not a post" in out
        assert "a WordPress page, not a post" in out
        ferry = Article.objects.get(source_uri="https://gazette.example/?p=10")
        assert ferry.section == transport
        assert tags_of(ferry) == ["Ferries", "Winter"]
        assert authors_of(ferry) == ["Gina Holt"]
        assert ferry.deck == "New winter sailings."
        assert "<blockquote>We listened.</blockquote>" in ferry.body
        assert ferry.body.startswith("<p>Winter sailings start on Monday.</p>")
        assert ferry.published_at.isoformat() == "2024-01-02T10:00:00+00:00"
        assert ferry.hero_image.source_uri.endswith("/ferry.jpg")
        assert ferry.hero_image.caption == "The morning ferry."
        draft = Article.objects.get(source_uri="https://gazette.example/?p=12")
        assert draft.status == Article.Status.DRAFT and draft.published_at is None
        concert = Article.objects.get(source_uri="https://gazette.example/?p=13")
        assert concert.is_scheduled
        assert concert not in Article.objects.published()


@pytest.mark.django_db
class TestFeedImport:
    def test_rss_content_encoded_media_and_sanitized_body(self):
        ok, out, _ = run_import(FIXTURES / "feed.rss")
        assert ok and "RSS feed" in out
        storm = Article.objects.get(source_uri="wire-1001")
        assert storm.body.startswith("<p>All schools closed on Friday.</p>")
        assert "script" not in storm.body and "onclick" not in storm.body
        assert "javascript:" not in storm.body
        assert storm.deck == "Schools shut as the storm arrives."
        assert authors_of(storm) == ["Hal Berg"]
        assert tags_of(storm) == ["Schools", "Weather"]
        assert storm.hero_image.source_uri == "https://wire.example/storm-large.jpg"
        assert storm.hero_image.credit == "Photograph: Ida Sol/AP"
        assert storm.canonical_url == "https://wire.example/storm"

    def test_rss_item_without_date_or_guid_uses_link_and_imports(self):
        run_import(FIXTURES / "feed.rss")
        note = Article.objects.get(source_uri="https://wire.example/note")
        assert note.body == "<p>A short note without a date.</p>"
        assert note.published_at is not None
        ok, out, _ = run_import(FIXTURES / "feed.rss")
        assert ok and "2 unchanged" in out

    def test_atom_published_authors_and_feed_author_as_credit(self):
        ok, out, _ = run_import(FIXTURES / "feed.atom")
        assert ok and "Atom feed" in out
        first = Article.objects.get(source_uri="urn:example:devblog:1")
        assert first.headline == "Release 2.0 is out"
        assert first.published_at.isoformat() == "2024-02-01T08:00:00+00:00"
        assert authors_of(first) == ["Ivy Park"]
        assert first.body == "<p>Version 2.0 brings speed.</p>"
        assert tags_of(first) == ["Releases"]
        second = Article.objects.get(source_uri="urn:example:devblog:2")
        assert second.published_at.isoformat() == "2024-02-03T08:00:00+00:00"
        assert second.body == "<p>Inline <strong>XHTML</strong>.</p>"
        assert authors_of(second) == []
        assert second.credit == "Example Dev Blog Team"


@pytest.mark.django_db
class TestCsvImport:
    def test_good_csv(self, settings):
        settings.TIME_ZONE = "Europe/Oslo"
        ok, out, _ = run_import(FIXTURES / "articles.csv")
        assert ok and "3 created" in out
        hall = Article.objects.get(source_uri="csv:1")
        assert (
            hall.body
            == "<p>The hall reopened today.</p><p>Traders returned at eight.</p>"
        )
        assert authors_of(hall) == ["Jo Kim", "Lu Fan"]
        assert tags_of(hall) == ["Heritage", "Markets"]
        assert hall.kicker == "Reopening"
        # A date without a zone is read in the site's zone (Oslo, UTC+2 in April).
        assert hall.published_at.isoformat() == "2024-04-02T07:00:00+00:00"
        assert Article.objects.get(source_uri="csv:2").status == Article.Status.DRAFT
        formula = Article.objects.get(source_uri="csv:3")
        assert formula.body == '<p>=HYPERLINK("http://x")</p>'
        assert formula.credit == "AFP"

    def test_bad_lines_are_reported_and_the_rest_imports(self):
        ok, out, err = run_import(FIXTURES / "articles_bad.csv")
        assert not ok
        assert "2 created" in err and "5 failed" in err
        assert "line 3: expected 11 columns, found 4" in err
        assert "line 4: published_at: unreadable date '2024-02-30'" in err
        assert "line 5: published_at:" in err
        assert "line 6: source_uri is empty" in err
        assert "line 7: status 'maybe'" in err
        assert set(Article.objects.values_list("source_uri", flat=True)) == {
            "bad:1",
            "bad:7",
        }


@pytest.mark.django_db
class TestSeedPage:
    @pytest.fixture(autouse=True)
    def _seed(self):
        if not SEED.exists():
            pytest.skip("the shared fixtures folder (../shared/fixtures) is not here")

    def test_seed_page_imports_as_stated(self):
        ok, out, _ = run_import(SEED)
        assert ok and "scraped text page" in out
        article = Article.objects.get()
        assert article.headline == (
            "Russian President Putin Congratulates US President-Elect Donald Trump, "
            "‘Ready’ For Talks"
        )
        assert article.deck.startswith(
            "Putin praised Trump for his “courageous” response"
        )
        assert (
            timezone.localtime(article.published_at).date().isoformat() == "2024-11-07"
        )
        assert article.body.count("<p>") == 7
        assert article.body.count("<h2>") == 1
        assert "<h2>Putin Calls Trump ‘Courageous’</h2>" in article.body
        assert "Congratulates US President-Elect" not in article.body
        assert f"<p>{article.deck}</p>" not in article.body
        assert tags_of(article) == sorted(
            ["2024 US Election", "donald trump", "RUSSIAN PRESIDENT PUTIN"]
        )

    def test_seed_page_shows_its_date_honestly(self, client):
        """The page gives a day: readers see that day, no invented 00:00, and
        no "Updated" line for the moment it was imported."""
        run_import(SEED, default_author="Desk")
        article = Article.objects.get()
        assert article.published_date_only
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<time datetime="2024-11-07">7 November 2024</time>' in html
        assert "00:00" not in html and "Updated" not in html
        assert '"datePublished": "2024-11-07"' in html
        assert '"dateModified": "2024-11-07"' in html
        assert 'content="2024-11-07"' in html  # article:published_time
        sitemap = client.get("/sitemap-articles.xml").content.decode()
        assert "<lastmod>2024-11-07</lastmod>" in sitemap

    def test_seed_page_shows_no_filler_from_an_archive_it_shares_nothing_with(
        self, client
    ):
        """Imported beside a newsroom's own stories, two years later and on
        other topics, the seed story shows no related block rather than its
        section's stories from 750 days away."""
        news = make_section(name="News", slug="news")
        for i in range(12):
            make_article(
                section=news,
                headline=f"Harbour bridge closed as inspectors find cracks, day {i}",
                deck="The crossing carries 40,000 journeys a day.",
                tags=["Aldmere Bridge", "Transport"],
                published_at=timezone.now() - timedelta(days=i),
            )
        run_import(SEED, default_author="Desk")
        finish_pending_work()  # what the task workers do after an import
        seed = Article.objects.get(source_uri__startswith="scraped:")
        assert seed.section == news
        assert not RelatedLink.objects.filter(article=seed).exists()
        response = client.get(seed.get_absolute_url())
        assert response.status_code == 200
        assert "Related stories" not in response.content.decode()

    def test_a_date_only_story_in_the_news_sitemap_has_its_date_alone(self, client):
        day = timezone.localtime() - timedelta(hours=1)
        make_article(published_at=day, published_date_only=True)
        news = client.get("/news-sitemap.xml").content.decode()
        assert f"<news:publication_date>{day:%Y-%m-%d}</news:publication_date>" in news

    def test_seed_tags_match_existing_tags_whatever_their_case(self):
        existing = Tag.objects.create(name="Donald Trump")
        run_import(SEED)
        article = Article.objects.get()
        assert existing in article.tags.all()
        assert Tag.objects.filter(name__iexact="donald trump").count() == 1
        assert article.tags.count() == 3

    def test_seed_identity_does_not_depend_on_the_file_name(self, tmp_path):
        copy = tmp_path / "other-name.txt"
        copy.write_bytes(SEED.read_bytes())
        run_import(SEED)
        ok, out, _ = run_import(copy)
        assert ok and "1 unchanged" in out
        assert Article.objects.count() == 1


@pytest.mark.django_db
class TestIdempotency:
    def test_second_run_reports_everything_unchanged_and_writes_nothing(self):
        paths = [
            FIXTURES / name
            for name in ("ninjs1_harbour.json", "ninjs2.jsonl", "wordpress.xml")
        ]
        run_import(*paths)
        before = {
            a.pk: (a.updated_at, a.source_checksum) for a in Article.objects.all()
        }
        ok, out, _ = run_import(*paths)
        assert ok
        assert "0 created, 0 updated, 6 unchanged" in out
        after = {a.pk: (a.updated_at, a.source_checksum) for a in Article.objects.all()}
        assert after == before

    def test_changed_source_record_updates_its_article(self, tmp_path):
        source = tmp_path / "one.jsonl"
        item = {
            "uri": "urn:x:1",
            "headlines": [{"value": "First"}],
            "by": "Ann Lee",
            "body_html": "<p>One.</p>",
        }
        source.write_text(json.dumps(item) + "\n")
        run_import(source)
        item["headlines"] = [{"value": "Second"}]
        item["subjects"] = [{"name": "Fresh"}]
        source.write_text(json.dumps(item) + "\n")
        ok, out, _ = run_import(source)
        assert ok and "1 updated" in out
        article = Article.objects.get()
        assert article.headline == "Second"
        assert tags_of(article) == ["Fresh"]

    def test_rerun_checks_a_batch_of_unchanged_records_in_a_few_queries(
        self, tmp_path, django_assert_max_num_queries
    ):
        source = tmp_path / "many.jsonl"
        source.write_text(
            "\n".join(
                json.dumps(
                    {
                        "uri": f"urn:many:{n}",
                        "headline": f"Story {n}",
                        "by": f"Writer {n % 3}",
                        "body_html": f"<p>Text {n}.</p>",
                        "subjects": [{"name": f"Topic {n % 5}"}],
                    }
                )
                for n in range(250)
            )
        )
        ok, out, _ = run_import(source)
        assert ok and "250 created" in out
        with django_assert_max_num_queries(40):
            ok, out, _ = run_import(source)
        assert ok and "0 created, 0 updated, 250 unchanged" in out

    def test_one_batch_mixing_unchanged_changed_and_edited_records(self, tmp_path):
        source = tmp_path / "mixed.jsonl"
        items = [
            {"uri": f"urn:m:{n}", "headline": f"Story {n}", "body_html": "<p>a</p>"}
            for n in range(3)
        ]
        source.write_text("\n".join(json.dumps(item) for item in items))
        run_import(source)
        edited = Article.objects.get(source_uri="urn:m:2")
        edited.body = "<p>An editor's words.</p>"
        edited.save()
        items[1]["headline"] = "Story 1, updated"
        items[2]["headline"] = "Story 2, changed at the source"
        source.write_text("\n".join(json.dumps(item) for item in items))
        ok, out, _ = run_import(source)
        assert ok and "0 created, 1 updated, 1 unchanged, 1 skipped" in out
        assert "line 3: edited locally" in out
        assert Article.objects.get(source_uri="urn:m:1").headline == "Story 1, updated"
        edited.refresh_from_db()
        assert edited.headline == "Story 2"
        assert edited.body == "<p>An editor's words.</p>"

    def test_article_edited_locally_is_not_overwritten(self, tmp_path):
        source = tmp_path / "one.jsonl"
        item = {
            "uri": "urn:x:1",
            "headlines": [{"value": "First"}],
            "body_html": "<p>One.</p>",
        }
        source.write_text(json.dumps(item) + "\n")
        run_import(source)
        article = Article.objects.get()
        article.body = "<p>An editor's better words.</p>"
        article.save()
        item["headlines"] = [{"value": "Changed at the source"}]
        source.write_text(json.dumps(item) + "\n")
        ok, out, _ = run_import(source)
        assert ok
        assert "1 skipped" in out and "edited locally" in out
        article.refresh_from_db()
        assert article.headline == "First"
        assert article.body == "<p>An editor's better words.</p>"

    def test_dry_run_writes_nothing_and_says_what_would_happen(self):
        ok, out, _ = run_import(
            FIXTURES / "wordpress.xml", FIXTURES / "ninjs1_harbour.json", dry_run=True
        )
        assert ok
        assert "Dry run (nothing written): would have 4 created" in out
        assert not Article.objects.exists()
        assert not Author.objects.exists() and not Tag.objects.exists()
        assert not Image.objects.exists() and not Section.objects.exists()

    def test_duplicate_identity_in_one_file_keeps_the_first(self, tmp_path):
        source = tmp_path / "dupes.jsonl"
        lines = [
            {"uri": "urn:x:dup", "headline": "One", "body_html": "<p>a</p>"},
            {"uri": "urn:x:dup", "headline": "Two", "body_html": "<p>b</p>"},
        ]
        source.write_text("\n".join(json.dumps(line) for line in lines))
        ok, out, _ = run_import(source)
        assert ok and "1 created" in out and "1 skipped" in out
        assert "line 2: urn:x:dup appears earlier in this run" in out
        assert Article.objects.get().headline == "One"
        ok, out, _ = run_import(source)
        assert "1 unchanged" in out and Article.objects.get().headline == "One"

    def test_related_links_are_computed_for_imported_articles(
        self, tmp_path, django_capture_on_commit_callbacks
    ):
        source = tmp_path / "related.jsonl"
        source.write_text(
            "\n".join(
                json.dumps(
                    {
                        "uri": f"urn:r:{n}",
                        "headline": f"Story {n}",
                        "firstcreated": f"2024-01-0{n}T10:00:00Z",
                        "body_html": "<p>Text.</p>",
                        "subjects": [{"name": "Flood"}],
                    }
                )  # fmt: skip
                for n in (1, 2, 3)
            )
        )
        with django_capture_on_commit_callbacks(execute=True):  # follow-up tasks
            run_import(source)
        first = Article.objects.get(source_uri="urn:r:1")
        targets = RelatedLink.objects.filter(article=first).values_list(
            "target__source_uri", flat=True
        )
        assert set(targets) == {"urn:r:2", "urn:r:3"}


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search vectors are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_search_vectors_computed_beside_the_import_are_complete(tmp_path):
    source = tmp_path / "searchable.jsonl"
    source.write_text(
        "\n".join(
            json.dumps(
                {
                    "uri": f"urn:s:{n}",
                    "headline": f"Lighthouse {n}",
                    "body_html": f"<p>Keeper number{n} writes.</p>",
                    "subjects": [{"name": "Coastline"}],
                }
            )
            for n in range(150)  # two batches
        )
    )
    ok, out, err = run_import(source)
    assert ok, err
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE search_vector IS NULL "
            "OR search_vector <> articles_search_vector(id, headline, deck, body)"
        )
        assert cursor.fetchone() == (0,)
    assert len(search_articles("number149")) == 1
    assert len(search_articles("coastline")) == 150


@pytest.mark.django_db
class TestCommand:
    def test_summary_and_failures_name_file_position_and_reason(self):
        ok, out, err = run_import(
            FIXTURES / "articles.csv", FIXTURES / "articles_bad.csv"
        )
        assert not ok
        assert "5 created, 0 updated, 0 unchanged, 0 skipped, 5 failed" in err
        assert "articles_bad.csv, line 3: expected 11 columns" in err

    def test_exit_status_is_non_zero_when_a_record_failed(self):
        with pytest.raises(CommandError):
            call_command("import_articles", str(FIXTURES / "articles_bad.csv"),
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip

    def test_format_is_detected_by_content_not_name(self, tmp_path):
        disguised = tmp_path / "feed.csv"
        disguised.write_bytes((FIXTURES / "feed.atom").read_bytes())
        ok, out, _ = run_import(disguised)
        assert ok and "Atom feed" in out

    def test_status_option_overrides_the_source(self):
        run_import(FIXTURES / "ninjs1_harbour.json", status="draft")
        assert Article.objects.get().status == Article.Status.DRAFT

    def test_default_author_for_records_without_a_byline(self):
        run_import(
            FIXTURES / "ninjs3_camelcase_array.json", default_author="Desk Editor Ruth"
        )
        assert authors_of(
            Article.objects.get(source_uri="urn:example:ninjs3:withheld")
        ) == ["Desk Editor Ruth"]

    def test_folder_import_skips_files_that_are_not_articles(self, tmp_path):
        (tmp_path / "README.md").write_text("# notes\n")
        (tmp_path / "a.json").write_bytes(
            (FIXTURES / "ninjs1_harbour.json").read_bytes()
        )
        ok, out, _ = run_import(tmp_path)
        assert ok and "1 created" in out
        assert "README.md: not imported: unrecognised format" in out

    def test_quiet_at_verbosity_zero(self):
        ok, out, _ = run_import(FIXTURES / "ninjs1_harbour.json", verbosity=0)
        assert ok and out == ""


@pytest.mark.django_db
def test_a_picture_not_fetched_leaves_every_page_whole(client):
    """An imported picture stays remote without --fetch-images: readers get the
    story without it (no broken image, no third-party request), never a 500."""
    assert run_import(FIXTURES / "feed.rss")[0]
    article = Article.objects.get(source_uri="wire-1001")
    assert article.hero_image is not None and not article.hero_image.file
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "og:image" not in html and "storm-large.jpg" not in html
    assert '"image"' not in html  # no JSON-LD picture either
    for url in ("/", "/tag/weather/", "/feed/", "/feed/atom/", "/news-sitemap.xml"):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/api/articles/{article.pk}/")
    assert detail.status_code == 200
    offered = detail.json()["associations"][0]["renditions"]
    assert "https://wire.example/storm-large.jpg" in [r["href"] for r in offered]
