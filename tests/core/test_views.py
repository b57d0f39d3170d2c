from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article, Image
from articles.related import refresh_related
from tests.factories import jpeg_bytes, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada")
    live = make_article(
        headline="Live story",
        slug="live",
        section=section,
        authors=[author],
        tags=["Harbour"],
    )
    hidden = {
        "draft": make_article(
            headline="Draft story",
            slug="draft",
            section=section,
            authors=[author],
            tags=["Harbour"],
            status=Article.Status.DRAFT,
        ),
        "review": make_article(
            headline="Review story",
            slug="review",
            section=section,
            authors=[author],
            tags=["Harbour"],
            status=Article.Status.REVIEW,
        ),
        "scheduled": make_article(
            headline="Scheduled story",
            slug="scheduled",
            section=section,
            authors=[author],
            tags=["Harbour"],
            published_at=timezone.now() + timedelta(hours=3),
        ),
        "withdrawn": make_article(
            headline="Withdrawn story",
            slug="withdrawn",
            section=section,
            authors=[author],
            tags=["Harbour"],
            status=Article.Status.WITHDRAWN,
            withdrawn_reason="Legal reasons.",
        ),
    }
    for article in [live, *hidden.values()]:
        refresh_related(article)
    return live, hidden


PUBLIC_PAGES = [
    "/",
    "/section/world/",
    "/tag/harbour/",
    "/author/ada/",
    "/search/?q=story",
]


class TestVisibilityOnEveryPage:
    @pytest.mark.parametrize("url", PUBLIC_PAGES)
    def test_listing_shows_only_live_articles(self, client, newsroom, url):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Live story" in html
        for name in ("Draft", "Review", "Scheduled", "Withdrawn"):
            assert f"{name} story" not in html

    @pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
    def test_unpublished_article_is_404_for_readers(self, client, newsroom, state):
        article = newsroom[1][state]
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get(f"/preview/{article.pk}/").status_code == 302  # to login

    def test_withdrawn_article_is_gone_with_its_reason(self, client, newsroom):
        response = client.get(newsroom[1]["withdrawn"].get_absolute_url())
        assert response.status_code == 410
        assert "Legal reasons." in response.content.decode()

    def test_related_links_never_show_hidden_articles(self, client, newsroom):
        html = client.get(newsroom[0].get_absolute_url()).content.decode()
        for name in ("Draft", "Review", "Scheduled", "Withdrawn"):
            assert f"{name} story" not in html

    def test_scheduled_article_appears_everywhere_at_its_time(self, client, newsroom):
        scheduled = newsroom[1]["scheduled"]
        Article.objects.filter(pk=scheduled.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        scheduled.refresh_from_db()
        for url in [*PUBLIC_PAGES, scheduled.get_absolute_url()]:
            assert "Scheduled story" in client.get(url).content.decode(), url

    def test_tag_used_only_on_drafts_is_a_404(self, client):
        make_article(tags=["Secret plan"], status=Article.Status.DRAFT)
        assert client.get("/tag/secret-plan/").status_code == 404


class TestStaffPreview:
    def test_staff_see_drafts_with_a_banner_and_no_caching(
        self, admin_client, newsroom
    ):
        draft = newsroom[1]["draft"]
        response = admin_client.get(f"/preview/{draft.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Draft story" in html and "Preview" in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
    def test_the_public_address_shows_staff_only_what_readers_see(
        self, admin_client, newsroom, state
    ):
        article = newsroom[1][state]
        assert admin_client.get(article.get_absolute_url()).status_code == 404

    def test_a_withdrawn_article_is_gone_for_staff_too(self, admin_client, newsroom):
        withdrawn = newsroom[1]["withdrawn"]
        assert admin_client.get(withdrawn.get_absolute_url()).status_code == 410
        preview = admin_client.get(f"/preview/{withdrawn.pk}/")
        assert preview.status_code == 200


class TestArticlePage:
    def test_shows_the_story_with_ordered_bylines_tags_and_related(self, client):
        section = make_section(name="Politics", slug="politics")
        authors = [make_author(name="Zoe Byline"), make_author(name="Adam Second")]
        article = make_article(
            headline="Council votes",
            kicker="Exclusive",
            deck="A late-night vote.",
            body="<p>First.</p><h2>What next</h2><p>Second.</p>",
            section=section,
            authors=authors,
            tags=["Council", "Budget"],
        )
        other = make_article(headline="Budget row", section=section, tags=["Budget"])
        refresh_related(article)
        html = client.get(article.get_absolute_url()).content.decode()
        for text in (
            "Council votes",
            "Exclusive",
            "A late-night vote.",
            "<h2>What next</h2>",
        ):
            assert text in html
        assert html.index("Zoe Byline") < html.index("Adam Second")
        assert 'href="/author/' in html
        assert 'href="/tag/council/"' in html and 'href="/tag/budget/"' in html
        assert other.headline in html
        assert "<time" in html and 'datetime="' in html

    def test_wrong_date_in_url_redirects_to_the_canonical_url(self, client):
        article = make_article(slug="moved")
        response = client.get("/1999/1/1/moved/")
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

    def test_impossible_date_with_a_known_slug_redirects(self, client):
        article = make_article(slug="odd-date")
        response = client.get("/2024/13/45/odd-date/")
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

    def test_unknown_slug_is_404(self, client):
        assert client.get("/2024/1/1/no-such-story/").status_code == 404

    def test_unicode_slug(self, client):
        article = make_article(slug="zürich-vote")
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200

    def test_query_count_is_constant(self, client, django_assert_max_num_queries):
        section = make_section()
        small = make_article(section=section, tags=["a"], authors=[make_author()])
        big = make_article(
            section=section,
            tags=[f"t{i}" for i in range(12)],
            authors=[make_author() for _ in range(6)],
        )
        for _ in range(8):
            make_article(section=section, tags=["t1", "a"])
        image = Image.objects.create(
            file=SimpleUploadedFile("x.jpg", jpeg_bytes()), alt="x", caption="c"
        )
        Article.objects.filter(pk=big.pk).update(hero_image=image)
        refresh_related(small)
        refresh_related(big)
        client.get("/")  # warm the navigation cache
        counts = []
        for article in (small, big):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert client.get(article.get_absolute_url()).status_code == 200
            counts.append(len(ctx))
        assert counts[0] == counts[1] <= 5


class TestListings:
    @pytest.mark.parametrize("url", PUBLIC_PAGES)
    def test_query_count_does_not_grow_with_the_page(
        self, client, newsroom, url, settings
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # measure rendering, not the cache
        client.get(url)  # warm the navigation cache
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        section = newsroom[0].section
        author = newsroom[0].bylines.first().author
        for _ in range(15):
            make_article(
                headline="Another story",
                section=section,
                authors=[author, make_author()],
                tags=["Harbour", "Extra"],
            )
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        for _ in range(15):
            make_article(section=section, authors=[author], tags=["Harbour"])
        with CaptureQueriesContext(connection) as more:
            client.get(url)
        assert len(few) <= len(many) == len(more) <= 6

    def test_section_rails_on_home(self, client):
        for name in ("Business", "Culture"):
            section = make_section(name=name)
            make_article(headline=f"{name} lead", section=section)
        html = client.get("/").content.decode()
        assert "Business" in html and "Culture" in html
        assert "Business lead" in html and "Culture lead" in html

    def test_listings_page_to_the_end_without_counting(self, client, settings):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        section = make_section(slug="even")
        for i in range(40):  # exactly two pages
            make_article(
                headline=f"Even {i:02d}",
                section=section,
                published_at=timezone.now() - timedelta(hours=i + 1),
            )
        client.get("/section/even/")
        with CaptureQueriesContext(connection) as ctx:
            first = client.get("/section/even/").content.decode()
        assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
        assert 'rel="next"' in first and 'rel="prev"' not in first
        second = client.get("/section/even/?page=2").content.decode()
        assert "Even 39" in second and 'rel="next"' not in second
        assert 'rel="prev"' in second
        assert client.get("/section/even/?page=3").status_code == 404

    def test_author_page_shows_bio(self, client):
        author = make_author(name="Bea Writer", slug="bea", bio="Covers the courts.")
        make_article(authors=[author])
        html = client.get("/author/bea/").content.decode()
        assert "Bea Writer" in html and "Covers the courts." in html

    def test_pages_are_paginated(self, client):
        section = make_section(slug="long")
        for i in range(25):
            make_article(
                headline=f"Item {i:02d}",
                section=section,
                published_at=timezone.now() - timedelta(hours=i + 1),
            )
        first = client.get("/section/long/").content.decode()
        second = client.get("/section/long/?page=2").content.decode()
        assert first.count("Item ") >= 20
        # Newest first: the oldest story is alone on the second page.
        assert "Item 24" not in first and "Item 24" in second
        assert "Item 00" in first and "Item 00" not in second


class TestBadInput:
    @pytest.mark.parametrize(
        "page", ["abc", "-1", "0", "1.5", "9" * 5000, "99999", "last", "%00"]
    )
    def test_bad_page_numbers_are_404(self, client, newsroom, page):
        assert client.get(f"/section/world/?page={page}").status_code == 404

    @pytest.mark.parametrize(
        "url",
        [
            "/2024/1/1/" + "x" * 10000 + "/",
            "/2024/1/1/%00/",
            "/2024/1/1/%FF/",
            "/2024/1/1/%C0%AF/",
            "/99999999999999999999/1/1/slug/",
            "/tag/%00/",
            "/author/nobody/",
            "/section/nowhere/",
        ],
    )
    def test_bad_urls_are_clean_errors(self, client, url):
        assert client.get(url).status_code == 404

    def test_a_preview_of_no_article_sends_readers_to_log_in(self, client):
        response = client.get("/preview/999999999999999999999/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    @pytest.mark.parametrize(
        "q",
        ["' OR 1=1 --", "%_", "<script>alert(1)</script>", "x" * 100_000, "a & !( :*"],
    )
    def test_hostile_searches_return_a_normal_page(self, client, newsroom, q):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()

    def test_head_works_and_other_methods_are_refused(self, client, newsroom):
        url = newsroom[0].get_absolute_url()
        assert client.head(url).status_code == 200
        assert client.post(url).status_code == 405
        assert client.put("/").status_code == 405

    def test_scripts_typed_into_fields_are_escaped(self, client):
        payload = '"><script>alert(1)</script>'
        author = make_author(name=payload, bio=payload)
        article = make_article(
            headline=payload,
            kicker=payload,
            deck=payload,
            authors=[author],
            tags=[payload],
            body=f'<p>{payload}<a href="javascript:alert(1)">x</a></p>',
        )
        refresh_related(article)
        for url in (article.get_absolute_url(), "/", author.get_absolute_url()):
            html = client.get(url).content.decode()
            assert "<script>alert(1)</script>" not in html, url
            assert 'href="javascript:' not in html, url
