from datetime import datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.dateformat import format
from django.views.decorators.cache import cache_control

from articles import publishing
from articles.delivery.page_cache import (
    BROWSER_MAX_AGE,
    STALE_WHILE_REVALIDATE,
    PageCacheMiddleware,
    own_key,
    retire_keys,
)
from articles.freshness import RETIRED_KEY, content_changed
from articles.models import Article
from tests.factories import make_article, make_author, make_section
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db


def listing_urls(article):
    return ["/", "/section/world/", "/tag/harbour/", "/author/ada/", "/feed/"]


def html(client, url):
    return client.get(url).content.decode()


class TestServerCache:
    def test_a_cached_page_costs_no_queries(self, client, story):
        url = story.get_absolute_url()
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) == 0

    def test_an_edit_shows_at_once_everywhere(self, client, story):
        pages = [story.get_absolute_url(), *listing_urls(story)]
        for url in pages:
            assert "Original headline" in html(client, url), url
        story.headline = "Corrected headline"
        publishing.update(story, by=None)
        for url in pages:
            page = html(client, url)
            assert "Corrected headline" in page, url
            assert "Original headline" not in page, url

    def test_tag_and_byline_changes_show_at_once(self, client, story):
        bea = make_author(name="Bea", slug="bea")
        assert client.get("/tag/boats/").status_code == 404
        html(client, story.get_absolute_url())
        publishing.update(
            story,
            by=None,
            tags=[*story.tags.names(), "Boats"],
            authors=[*story.byline_authors, bea],
        )
        assert "Original headline" in html(client, "/tag/boats/")
        assert "Original headline" in html(client, "/author/bea/")
        page = html(client, story.get_absolute_url())
        assert 'href="/tag/boats/"' in page and "Bea" in page

    def test_unpublishing_removes_the_article_at_once(self, client, story):
        for url in [story.get_absolute_url(), *listing_urls(story)]:
            html(client, url)
        story.status = Article.Status.WITHDRAWN
        story.withdrawn_reason = "Legal."
        publishing.update(story, by=None)
        assert client.get(story.get_absolute_url()).status_code == 410
        for url in ["/", "/section/world/", "/author/ada/", "/feed/"]:
            assert "Original headline" not in html(client, url), url

    def test_a_section_edit_shows_at_once(self, client, story):
        html(client, "/section/world/")
        section = story.section
        editor = login(Client(), make_user("Editor"))
        response = editor.post(
            f"/admin/articles/section/{section.pk}/change/",
            {
                "name": section.name,
                "slug": section.slug,
                "position": section.position,
                "description": "All the world's news.",
            },
        )
        assert response.status_code == 302
        assert "All the world&#x27;s news." in html(client, "/section/world/")

    def test_a_scheduled_article_appears_at_its_time(self, client, story, clock):
        clock.set(timezone.now())
        goes_live = timezone.now() + timedelta(seconds=2)
        make_article(
            headline="Embargoed story",
            section=story.section,
            authors=[story.bylines.get().author],
            tags=["Harbour"],
            published_at=goes_live,
        )
        scheduled = Article.objects.get(headline="Embargoed story")
        responses = {url: client.get(url) for url in listing_urls(story)}
        for url, response in responses.items():
            assert "Embargoed story" not in response.content.decode(), url
            assert get_max_age(response) <= 2, url
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        clock.advance(2.1)
        for url in listing_urls(story):
            assert "Embargoed story" in html(client, url), url
        assert client.get(scheduled.get_absolute_url()).status_code == 200

    def test_far_off_schedules_do_not_shorten_caching(self, client, story, midnight):
        make_article(published_at=timezone.now() + timedelta(days=2))
        response = client.get("/")
        assert get_max_age(response) == BROWSER_MAX_AGE

    def test_switched_off_it_serves_nothing_it_stored(self, client, settings, story):
        url = story.get_absolute_url()
        client.get(url)
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) > 0

    def test_switched_off_it_adds_no_query_to_a_page(self, client, settings, story):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        url = story.get_absolute_url()
        client.get(url)
        with CaptureQueriesContext(connection) as with_middleware:
            client.get(url)
        settings.MIDDLEWARE = [
            name
            for name in settings.MIDDLEWARE
            if name != "articles.delivery.page_cache.PageCacheMiddleware"
        ]
        bare = Client()  # a client loads the middleware on its first request
        bare.get(url)
        with CaptureQueriesContext(connection) as without:
            bare.get(url)
        assert len(with_middleware) == len(without)

    def test_a_page_rendered_while_a_write_lands_is_not_kept(self, rf):
        renders = []

        @cache_control(public=True)
        def view(request):
            renders.append(request)
            if len(renders) == 1:
                content_changed()  # an edit saved while this page renders
            return HttpResponse(f"render {len(renders)}")

        serve = PageCacheMiddleware(view)
        assert serve(rf.get("/page/")).content == b"render 1"
        assert serve(rf.get("/page/")).content == b"render 2"
        assert serve(rf.get("/page/")).content == b"render 2"
        assert len(renders) == 2


def answered_early(response):
    """Answered by PageCacheMiddleware: the session middleware never saw it."""
    return not hasattr(response.wsgi_request, "session")


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
]


class TestEarlyHits:
    """PageCacheMiddleware answers hits before sessions, CSRF and routing."""

    def test_a_hit_is_the_page_the_view_served(self, client, story):
        url = story.get_absolute_url()
        first = client.get(url)
        assert not answered_early(first)
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url)
        assert answered_early(again)
        assert len(ctx) == 0
        assert again.status_code == 200
        assert again.content == first.content
        for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
            assert again[header] == first[header], header
        assert again["Cache-Control"] == first["Cache-Control"]

    @pytest.mark.parametrize("which", ["article", "/", "/feed/", "/sitemap.xml"])
    def test_a_hit_carries_every_security_header(self, client, settings, story, which):
        settings.SECURE_HSTS_SECONDS = 31_536_000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        url = story.get_absolute_url() if which == "article" else which
        first = client.get(url, secure=True)
        again = client.get(url, secure=True)
        assert answered_early(again)
        headers = [*SECURITY_HEADERS, "Strict-Transport-Security"]
        if not first["Content-Type"].startswith("text/html"):
            headers.remove("Content-Security-Policy")
        for header in headers:
            assert again[header] == first[header], (url, header)
        assert again["X-Frame-Options"] == "DENY"
        assert again["Strict-Transport-Security"].startswith("max-age=31536000")

    def test_a_hit_gets_the_policy_of_the_current_settings(
        self, client, settings, story
    ):
        url = story.get_absolute_url()
        client.get(url)
        settings.HTTPS = True
        assert "upgrade-insecure-requests" in client.get(url)["Content-Security-Policy"]
        settings.HTTPS = False
        csp = client.get(url)["Content-Security-Policy"]
        assert "upgrade-insecure-requests" not in csp
        assert "frame-ancestors 'none'" in csp
        settings.X_FRAME_OPTIONS = "SAMEORIGIN"
        assert client.get(url)["X-Frame-Options"] == "SAMEORIGIN"

    def test_conditional_and_head_requests(self, client, story):
        url = story.get_absolute_url()
        first = client.get(url)
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert answered_early(not_modified)
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == first["ETag"]
        assert "public" in not_modified["Cache-Control"]
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert answered_early(since) and since.status_code == 304
        other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
        assert other.status_code == 200 and other.content == first.content
        assert client.get(url, HTTP_IF_MATCH='"something-else"').status_code == 412
        head = client.head(url)
        assert answered_early(head) and head.status_code == 200
        for header in ("Content-Length", "ETag", "Cache-Control"):
            assert head[header] == first[header], header

    def test_a_session_cookie_bypasses_the_cache(self, client, settings, story):
        url = story.get_absolute_url()
        client.get(url)
        client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
        response = client.get(url)
        assert not answered_early(response)
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]

    def test_writes_and_unknown_hosts_are_refused_as_before(self, client, story):
        url = story.get_absolute_url()
        client.get(url)
        assert client.post(url).status_code == 405
        assert client.get(url, HTTP_HOST="elsewhere.example").status_code == 400

    def test_an_editors_look_at_a_draft_never_reaches_readers(
        self, admin_client, client, story
    ):
        draft = make_article(headline="Secret draft", status=Article.Status.DRAFT)
        url = draft.get_absolute_url()
        preview = admin_client.get(f"/preview/{draft.pk}/")
        assert "Secret draft" in preview.content.decode()
        assert admin_client.get(url).status_code == 404
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 404
            assert "Secret draft" not in response.content.decode()
        assert "Secret draft" not in html(client, "/")

    def test_a_miss_looks_the_page_up_once(self, client, story, monkeypatch):
        from articles.delivery import page_cache as caching

        lookups = []
        real = caching.look_up

        def counting(request):
            lookups.append(request.path)
            return real(request)

        monkeypatch.setattr(caching, "look_up", counting)
        url = story.get_absolute_url()
        client.get(url)  # a miss: rendered and stored
        assert lookups == [url]
        client.get(url)  # a hit
        assert lookups == [url, url]

    def test_a_page_another_process_stored_is_served_from_the_shared_cache(
        self, client, story
    ):
        url = story.get_absolute_url()
        client.get(url)  # rendered and stored, here and in the shared cache
        caches["pages"].clear()  # as if this process had never seen it
        Article.objects.filter(pk=story.pk).update(headline="Not yet retired")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(queries) == 0
        assert "Original headline" in response.content.decode()

    def test_another_processs_write_retires_this_processs_copy(self, client, story):
        url = story.get_absolute_url()
        client.get(url)
        assert "Original headline" in html(client, url)  # from this process
        # Another process writes: the database changes and the shared
        # generation moves; this process's memory is not told.
        Article.objects.filter(pk=story.pk).update(headline="Written elsewhere")
        content_changed()
        assert "Written elsewhere" in html(client, url)

    def test_a_hit_reads_one_small_entry_of_the_shared_cache(
        self, client, story, shared_reads
    ):
        url = story.get_absolute_url()
        client.get(url)  # rendered and stored
        client.get(url)  # a hit
        reads = shared_reads
        reads.clear()
        assert "Original headline" in html(client, url)
        assert reads == [RETIRED_KEY]
        # Another process retires the story's pages: the stamp moves, so the
        # copy here is checked, found retired and rendered again.
        Article.objects.filter(pk=story.pk).update(headline="Written elsewhere")
        retire_keys([own_key(RequestFactory().get(url))])
        assert "Written elsewhere" in html(client, url)
        reads.clear()
        assert "Written elsewhere" in html(client, url)
        assert reads == [RETIRED_KEY]

    def test_a_lost_stamp_checks_the_copy_again(self, client, story):
        url = story.get_absolute_url()
        client.get(url)
        caches["default"].delete(RETIRED_KEY)  # the shared cache dropped it
        Article.objects.filter(pk=story.pk).update(headline="Written elsewhere")
        content_changed()
        caches["default"].delete(RETIRED_KEY)
        assert "Written elsewhere" in html(client, url)
        assert "Written elsewhere" in html(client, url)

    def test_while_the_stamp_cannot_be_read_no_copy_is_served_on_trust(
        self, client, story, monkeypatch
    ):
        # The shared cache gives no stamp (down): copies stored meanwhile are
        # checked on every hit, so another process's write is still seen.
        monkeypatch.setattr("articles.delivery.page_cache.retired_stamp", lambda: None)
        url = story.get_absolute_url()
        assert "Original headline" in html(client, url)
        assert "Original headline" in html(client, url)
        Article.objects.filter(pk=story.pk).update(headline="Written elsewhere")
        content_changed()
        assert "Written elsewhere" in html(client, url)

    def test_without_the_middleware_pages_are_served_fresh(
        self, client, settings, story
    ):
        """The site works without delivery: pages are rendered every time."""
        settings.MIDDLEWARE = [
            name
            for name in settings.MIDDLEWARE
            if name != "articles.delivery.page_cache.PageCacheMiddleware"
        ]
        url = story.get_absolute_url()
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url)
        assert len(ctx) > 0
        assert again.status_code == 200
        assert again["Cache-Control"] == "public"
        assert not again.has_header("ETag")


class TestConditionalGet:
    @pytest.mark.parametrize("which", ["article", "/", "/section/world/", "/feed/"])
    def test_unchanged_pages_answer_304(self, client, story, which):
        url = story.get_absolute_url() if which == "article" else which
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"] and first["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304

    def test_changed_pages_answer_200_with_a_new_etag(self, client, story):
        url = story.get_absolute_url()
        first = client.get(url)
        story.headline = "New words"
        publishing.update(story, by=None)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200
        assert again["ETag"] != first["ETag"]

    def test_a_304_survives_an_unrelated_write(self, client, story):
        url = story.get_absolute_url()
        first = client.get(url)
        make_author(name="Elsewhere")  # retires the cache, page unchanged
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


class TestTheDaysEnd:
    """Every page shows today's date in its masthead: none is kept, by this
    server, by browsers or by an edge cache, past the day it is dated."""

    def test_a_page_is_dated_again_at_midnight(
        self, client, edge, settings, story, clock
    ):
        settings.TIME_ZONE = "Europe/London"
        day = timezone.localdate() + timedelta(days=1)
        eve = datetime.combine(
            day, dtime(23, 59, 30), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        clock.set(eve)
        url = story.get_absolute_url()

        first = client.get(url)
        assert format(eve, "l j F Y") in first.content.decode()
        assert get_max_age(first) == 30
        assert "s-maxage=30," in first["Cache-Control"]
        clock.advance(20)
        with CaptureQueriesContext(connection) as queries:
            kept = client.get(url)
        assert len(queries) == 0  # still served from the page cache
        assert get_max_age(kept) == 10

        clock.advance(15)  # five seconds into the next day
        after = client.get(url).content.decode()
        assert format(eve + timedelta(days=1), "l j F Y") in after
        assert format(eve, "l j F Y") not in after


class TestCacheControl:
    def test_public_pages_are_cacheable_by_cdns(self, client, story, midnight):
        for url in [story.get_absolute_url(), *listing_urls(story)]:
            cache_control = client.get(url)["Cache-Control"]
            assert "public" in cache_control, url
            assert f"max-age={BROWSER_MAX_AGE}" in cache_control, url
            assert f"stale-while-revalidate={STALE_WHILE_REVALIDATE}" in cache_control

    def test_previews_and_admin_are_never_cached(self, admin_client, story):
        draft = make_article(headline="Secret draft", status=Article.Status.DRAFT)
        for url in (f"/preview/{draft.pk}/", "/admin/"):
            response = admin_client.get(url)
            assert response.status_code == 200, url
            cache_control = response["Cache-Control"]
            assert "no-cache" in cache_control or "no-store" in cache_control, url
            assert "public" not in cache_control, url

    def test_editors_pages_are_private_and_never_reach_readers(
        self, admin_client, client, story
    ):
        draft = make_article(headline="Secret draft", status=Article.Status.DRAFT)
        response = admin_client.get(story.get_absolute_url())
        assert "private" in response["Cache-Control"]
        assert (
            "Secret draft" in admin_client.get(f"/preview/{draft.pk}/").content.decode()
        )
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert "Secret draft" not in html(client, "/")

    def test_errors_are_not_cached(self, client, story):
        assert client.get("/section/nowhere/").status_code == 404
        make_section(name="Nowhere", slug="nowhere")
        assert client.get("/section/nowhere/").status_code == 200


def test_a_new_section_shows_in_the_navigation_at_once(client, story):
    client.get("/")
    make_section(name="Weather desk", slug="weather-desk")
    assert 'href="/section/weather-desk/"' in client.get("/").content.decode()
