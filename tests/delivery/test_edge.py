"""Surrogate keys on public pages, and the purges a change sends to edge caches.

The edge caches are loopback HTTP servers started by each test
(tests/delivery/purge_server.py) that record what they are sent: a Varnish
cache's PURGE endpoint, Fastly's and Cloudflare's purge APIs. Varnish itself
is driven for real in tests/stack/.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.delivery.purgers import Varnish
from articles.delivery.surrogate_keys import key
from articles.editorial.tagging import merge_tags
from articles.models import Article, PendingWork, RelatedLink, Tag
from articles.scheduler import Scheduler, sweep
from tests.factories import make_article, make_author, make_section
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db

PURGE = PendingWork.Kind.PURGE
SITE = {"home", "feed", "sitemap", "api"}


@pytest.fixture
def story():
    return make_article(
        headline="Harbour reopens",
        slug="harbour-reopens",
        section=make_section(name="World", slug="world"),
        authors=[make_author(name="Ada", slug="ada")],
        tags=["Harbour"],
    )


def keys_of(story, section="world", tags=("harbour",), authors=("ada",)):
    return {
        key("a", story.slug),
        key("s", section),
        *(key("t", t) for t in tags),
        *(key("p", p) for p in authors),
        *SITE,
    }


def purged(servers):
    """{"soft": keys, "hard": keys} as each edge was sent them; they agree."""
    seen = {}
    for name, server in servers.items():
        soft, hard = set(), set()
        for r in server.requests:
            if name == "varnish":
                assert r.method == "PURGE"
                soft.update(r.headers.get("xkey-softpurge", "").split())
                hard.update(r.headers.get("xkey-purge", "").split())
            elif name == "fastly":
                assert r.path == "/service/svc1/purge"
                assert r.headers["fastly-key"] == "fastly-token"
                is_soft = r.headers.get("fastly-soft-purge") == "1"
                (soft if is_soft else hard).update(r.body["surrogate_keys"])
            else:
                assert r.path == "/zones/zone1/purge_cache"
                assert r.headers["authorization"] == "Bearer cf-token"
                hard.update(r.body["tags"])
        seen[name] = {"soft": soft, "hard": hard}
    # Cloudflare has no soft purge: it purges everything the others do.
    cf = seen.pop("cloudflare")
    assert cf["hard"] == seen["varnish"]["soft"] | seen["varnish"]["hard"]
    assert seen["varnish"] == seen["fastly"]
    return seen["varnish"]


def forget(servers):
    for server in servers.values():
        server.requests.clear()


class TestKeysOnPages:
    def test_public_pages_carry_what_they_show_under_each_spelling(
        self, client, edge, story, midnight
    ):
        pages = {
            story.get_absolute_url(): [key("a", "harbour-reopens"), "nav"],
            "/": ["home", "nav"],
            "/section/world/": [key("s", "world"), "nav"],
            "/section/world/feed/": [key("s", "world")],
            "/tag/harbour/": [key("t", "harbour"), "nav"],
            "/tag/harbour/feed/atom/": [key("t", "harbour")],
            "/author/ada/": [key("p", "ada"), "nav"],
            "/feed/": ["feed"],
            "/sitemap.xml": ["sitemap"],
            "/news-sitemap.xml": ["sitemap"],
            "/api/articles/": ["api"],
        }
        for url, keys in pages.items():
            for attempt in ("miss", "hit"):
                response = client.get(url)
                assert response.status_code == 200, url
                assert response["xkey"] == " ".join(keys), (url, attempt)
                assert response["Surrogate-Key"] == " ".join(keys), url
                assert response["Cache-Tag"] == ", ".join(keys), url
                control = response["Cache-Control"]
                assert "s-maxage=86400" in control, (url, attempt)
                assert "stale-if-error=86400" in control, url
                assert "max-age=60" in control, url  # browsers: still a minute

    def test_keys_stay_short_whatever_the_slug(self, client, edge):
        long_slug = "ünïcödé-" + "x" * 190
        story = make_article(
            slug=long_slug,
            section=make_section(slug="s" * 100),
            authors=[make_author(slug="é" * 200)],
            tags=["t" * 100],
        )
        for url in [
            story.get_absolute_url(),
            f"/section/{'s' * 100}/",
            f"/author/{'é' * 200}/",
        ]:
            value = client.get(url)["xkey"]
            assert len(value.encode()) <= 13, value  # "a" + 8 characters, " nav"
            assert re.fullmatch(r"[a-z][a-z2-7]{8}( nav)?", value)
        assert key("a", "harbour") != key("a", "harbours")

    def test_what_is_not_public_carries_no_keys(self, client, edge, story):
        draft = make_article(status=Article.Status.DRAFT)
        withdrawn = make_article(
            status=Article.Status.WITHDRAWN, withdrawn_reason="Legal."
        )
        for url, status in [
            ("/search/?q=harbour", 200),
            ("/admin/login/", 200),
            (draft.get_absolute_url(), 404),
            (withdrawn.get_absolute_url(), 410),
            ("/tag/nothing-here/", 404),
        ]:
            response = client.get(url)
            assert response.status_code == status, url
            assert "xkey" not in response, url
            assert "s-maxage" not in response.get("Cache-Control", ""), url
        editor = login(client, make_user("Editor"))
        for url in [story.get_absolute_url(), f"/preview/{draft.pk}/"]:
            response = editor.get(url)
            assert response.status_code == 200, url
            assert "xkey" not in response, url
            assert "s-maxage" not in response["Cache-Control"], url

    def test_tagging_costs_no_query(self, client, settings, story):
        def queries(url):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx)

        url = story.get_absolute_url()
        queries(url)  # the navigation and the next publication, cached
        without = queries(url + "?a")
        settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["xkey"]
        assert queries(url + "?b") == without

    def test_an_edge_nobody_purges_keeps_pages_no_longer_than_browsers(
        self, client, settings, story, midnight
    ):
        settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["Surrogate-Key"]
        response = client.get(story.get_absolute_url())
        assert response["Surrogate-Key"] == f"{key('a', story.slug)} nav"
        assert "s-maxage" not in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]

    def test_without_an_edge_nothing_is_tagged(self, client, story):
        response = client.get(story.get_absolute_url())
        assert "xkey" not in response
        assert "s-maxage" not in response["Cache-Control"]

    def test_without_an_edge_or_a_page_cache_nothing_is_recorded(self, settings, story):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        publishing.update(story, by=None, headline="Harbour reopens, again")
        assert not PendingWork.objects.filter(kind=PURGE).exists()


class TestPurges:
    def test_publishing_purges_the_pages_that_will_show_it(
        self, edge, django_capture_on_commit_callbacks
    ):
        world = make_section(slug="world")
        neighbour = make_article(
            slug="harbour-ferries", section=world, tags=["Harbour"]
        )
        draft = make_article(
            status=Article.Status.DRAFT,
            published_at=None,
            section=world,
            authors=[make_author(slug="ada")],
            tags=["Harbour"],
        )
        with django_capture_on_commit_callbacks(execute=True):
            publishing.publish(draft, by=None)
        # One purge task, one call (the story it now shows up under among the
        # pages that show it: the related task ran first); then its related
        # links purge the pages whose links changed: its own, and that story's.
        first, links = [r.body["surrogate_keys"] for r in edge["fastly"].requests]
        assert set(first) == keys_of(draft) | {key("a", neighbour.slug)}
        assert set(links) == {key("a", draft.slug), key("a", neighbour.slug)}
        assert not PendingWork.objects.filter(kind=PURGE).exists()

    def test_links_that_did_not_change_purge_nothing(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            publishing.update(story, by=None, headline="Harbour reopens today")
        # The write's own purge; its related links, computed again, are the
        # ones its page showed.
        assert len(edge["fastly"].requests) == 1

    def test_an_update_purges_old_and_new_listings_softly(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        sport = make_section(slug="sport")
        with django_capture_on_commit_callbacks(execute=True):
            publishing.update(story, by=None, section=sport, tags=["Ferries"])
        assert purged(edge) == {
            "soft": keys_of(story, "world") | keys_of(story, "sport", ["ferries"]),
            "hard": set(),
        }

    def test_pages_listing_it_as_related_are_purged_too(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        other = make_article(slug="ferry-news")
        RelatedLink.objects.create(article=other, target=story)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.update(story, by=None, headline="Harbour reopens at last")
        assert key("a", "ferry-news") in purged(edge)["soft"]

    def test_a_withdrawal_is_a_hard_purge(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            publishing.withdraw(story, by=None, reason="Legal advice.")
        assert purged(edge) == {"soft": set(), "hard": keys_of(story)}

    def test_embargoing_a_live_story_is_a_hard_purge(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        later = timezone.now() + timedelta(hours=2)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.schedule(story, by=None, at=later)
        assert purged(edge) == {"soft": set(), "hard": keys_of(story)}

    def test_edits_to_drafts_purge_nothing(
        self, edge, django_capture_on_commit_callbacks
    ):
        draft = make_article(status=Article.Status.DRAFT, published_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.update(draft, by=None, headline="Still a draft")
        assert all(not s.requests for s in edge.values())
        assert not PendingWork.objects.filter(kind=PURGE).exists()

    def test_a_scheduled_story_is_purged_when_it_goes_live(
        self, edge, django_capture_on_commit_callbacks
    ):
        draft = make_article(
            status=Article.Status.DRAFT,
            published_at=None,
            section=make_section(slug="world"),
            authors=[make_author(slug="ada")],
            tags=["Harbour"],
        )
        at = timezone.now() + timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.schedule(draft, by=None, at=at)
        assert all(not s.requests for s in edge.values())  # nothing shows it yet
        due = PendingWork.objects.get(kind=PURGE)
        assert due.due_at == at
        assert sweep(stale_after=timedelta(0)) == 0  # not before its time
        assert Scheduler(stale_after=timedelta(0)).seconds_to_wait(3600) <= 3600.5

        # Its time comes.
        past = timezone.now() - timedelta(seconds=1)
        Article.objects.filter(pk=draft.pk).update(published_at=past)
        PendingWork.objects.filter(pk=due.pk).update(due_at=past)
        with django_capture_on_commit_callbacks(execute=True):
            Scheduler().run_once()
        assert purged(edge) == {"soft": keys_of(draft), "hard": set()}
        assert not PendingWork.objects.filter(kind=PURGE).exists()

    def test_an_embargoed_story_is_purged_when_its_embargo_ends(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        until = timezone.now() + timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.embargo(story, by=None, until=until)
        # The story comes off every page at once, and is purged again when
        # the embargo ends, by the scheduled stories' clock.
        assert purged(edge) == {"soft": set(), "hard": keys_of(story)}
        due = PendingWork.objects.get(kind=PURGE)
        assert due.due_at == until
        assert sweep(stale_after=timedelta(0)) == 0  # not before its time

    def test_a_correction_purges_the_corrections_page(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            publishing.correct(story, by=None, text="The harbour is in Kiel.")
        assert purged(edge) == {"soft": keys_of(story) | {"corrections"}, "hard": set()}

    def test_a_tag_merge_purges_the_merged_tags(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        port = Tag.objects.create(name="Port", slug="port")
        with django_capture_on_commit_callbacks(execute=True):
            merge_tags([Tag.objects.get(slug="harbour")], port)
        assert purged(edge)["soft"] == keys_of(story, tags=["harbour", "port"])

    def test_a_section_rename_purges_every_page_with_navigation(
        self, client, edge, story, django_capture_on_commit_callbacks
    ):
        login(client, make_user(is_superuser=True))
        section = story.section
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/articles/section/{section.pk}/change/",
                {"name": "Abroad", "slug": "abroad", "position": 0},
            )
        assert response.status_code == 302
        assert purged(edge) == {
            "soft": {"nav", "page", key("s", "world"), key("s", "abroad")},
            "hard": set(),
        }

    def test_an_author_rename_purges_their_stories_and_both_addresses(
        self, client, edge, story, django_capture_on_commit_callbacks
    ):
        login(client, make_user(is_superuser=True))
        other = make_article(slug="other-story", authors=[make_author(slug="bo")])
        author = story.authors.get()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/articles/author/{author.pk}/change/",
                {"name": "Ada Lovelace", "slug": "ada-lovelace", "role": "", "bio": ""},
            )
        assert response.status_code == 302
        soft = purged(edge)["soft"]
        assert soft == keys_of(story, authors=["ada", "ada-lovelace"])
        assert key("a", other.slug) not in soft
        # Renaming changes no story's related links.
        assert not PendingWork.objects.exclude(kind=PURGE).exists()

    def test_a_failed_purge_stays_on_record_and_is_done_again(
        self, edge, story, django_capture_on_commit_callbacks
    ):
        edge["fastly"].status = 503
        with django_capture_on_commit_callbacks(execute=True):
            publishing.update(story, by=None, headline="Harbour reopens today")
        # The write's purge (its related links did not change).
        assert PendingWork.objects.filter(kind=PURGE).count() == 1
        edge["fastly"].status = 200
        forget(edge)
        sweep(stale_after=timedelta(0))
        assert purged(edge)["soft"] == keys_of(story)
        assert not PendingWork.objects.filter(kind=PURGE).exists()


def test_a_misconfigured_purge_backend_is_reported_by_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.NEWSROOM_EDGE_PURGE = [{"KIND": "akamai"}, {"KIND": "fastly"}]
    with pytest.raises(SystemCheckError, match="KIND 'akamai' is not one of"):
        call_command("check")
    settings.NEWSROOM_EDGE_PURGE = [{"KIND": "fastly", "SERVICE_ID": "s"}]
    with pytest.raises(SystemCheckError, match="need SERVICE_ID and API_TOKEN"):
        call_command("check")


def test_a_large_purge_fits_varnish_header_limits(servers):
    keys = sorted(key("a", f"story-{n}") for n in range(5000))
    Varnish(urls=[servers["varnish"].url]).purge(keys, soft=False)
    sent = [r.headers["xkey-purge"] for r in servers["varnish"].requests]
    assert len(sent) > 1
    assert max(len(value) for value in sent) <= 4000
    assert [k for value in sent for k in value.split()] == keys


def test_a_wire_kill_is_a_hard_purge(
    edge, tmp_path, django_capture_on_commit_callbacks
):
    import json

    from articles.ingest.imports import import_paths

    def wire(pubstatus):
        path = tmp_path / f"{pubstatus}.json"
        path.write_text(
            json.dumps(
                {
                    "uri": "urn:wire:kill-1",
                    "headline": "Wire story",
                    "body_html": "<p>From the wire.</p>",
                    "byline": "Wire Writer",
                    "firstcreated": "2024-03-01T10:00:00Z",
                    "pubstatus": pubstatus,
                    "subject": [{"name": "Harbour"}],
                }
            )
        )
        with django_capture_on_commit_callbacks(execute=True):
            import_paths([path], section="wire")

    make_section(slug="wire")
    wire("usable")
    story = Article.objects.get(source_uri="urn:wire:kill-1")
    assert story.is_live
    forget(edge)
    wire("canceled")
    assert Article.objects.get(pk=story.pk).status == Article.Status.WITHDRAWN
    keys = purged(edge)
    assert keys["soft"] == set()
    assert {key("a", story.slug), key("t", "harbour"), "home"} <= keys["hard"]
