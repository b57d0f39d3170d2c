"""The editors' desk on the admin's home page, workflow filters, and related
links explained."""

import time as clock
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Image, PendingWork, RelatedLink
from articles.related import refresh_related
from articles.scheduler import SCHEDULER_HEARTBEAT_KEY
from tests.factories import jpeg_bytes, make_article, make_section
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


@pytest.fixture
def morning(settings):
    """A newsroom time zone where it is 10:00 or so now: an hour from now is
    still today there, a day from now is not, whenever the test runs."""
    utc_hour = timezone.now().hour
    offset = (10 - utc_hour + 12) % 24 - 12  # hours ahead of UTC, -12..+11
    # "Etc/GMT-3" is three hours *ahead* of UTC (the POSIX sign).
    settings.TIME_ZONE = f"Etc/GMT{-offset:+d}" if offset else "UTC"
    return settings.TIME_ZONE


def part(html, name):
    return html.split(f'id="{name}"')[1].split("</section>")[0]


def desk_html(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_home_shows_what_waits_for_review_and_what_goes_live_today(
    editor_client, morning
):
    make_article(headline="Awaiting an editor", status="review", published_at=None)
    soon = timezone.now() + timedelta(hours=1)
    make_article(headline="Out within the hour", published_at=soon)
    make_article(
        headline="Out tomorrow", published_at=timezone.now() + timedelta(days=1)
    )
    make_article(headline="Out this morning", published_at=timezone.now())
    html = desk_html(editor_client)
    assert "Awaiting an editor" in part(html, "in-review")
    today = part(html, "scheduled")
    assert "Out within the hour" in today and "Out tomorrow" not in today
    # The time as the newsroom reads it, in its own time zone.
    assert timezone.localtime(soon).strftime("%H:%M") in today
    assert f"times in {morning}" in html
    assert "Out this morning" in part(html, "recent")
    # The desk has a page of its own too.
    page = editor_client.get("/admin/articles/article/dashboard/")
    assert page.status_code == 200
    assert "Awaiting an editor" in part(page.content.decode(), "in-review")


def test_drafts_nobody_touched_for_days_are_listed_oldest_first(
    editor_client, settings
):
    settings.NEWSROOM_STALE_DRAFT_DAYS = 10
    forgotten = make_article(headline="Forgotten", status="draft", published_at=None)
    older = make_article(headline="Older still", status="draft", published_at=None)
    make_article(headline="Fresh draft", status="draft", published_at=None)
    Article.objects.filter(pk=forgotten.pk).update(
        updated_at=timezone.now() - timedelta(days=11)
    )
    Article.objects.filter(pk=older.pk).update(
        updated_at=timezone.now() - timedelta(days=40)
    )
    stale = part(desk_html(editor_client), "stale")
    assert "untouched for 10 days" in stale
    assert stale.index("Older still") < stale.index("Forgotten")
    assert "Fresh draft" not in stale


def test_a_reporter_sees_their_own_drafts_and_nobody_elses(client):
    reporter = make_user("Reporter")
    make_article(
        headline="My council piece",
        status="draft",
        published_at=None,
        created_by=reporter,
    )
    make_article(headline="A colleague's scoop", status="draft", published_at=None)
    make_article(headline="A colleague in review", status="review", published_at=None)
    html = desk_html(login(client, reporter))
    drafts = part(html, "drafts")
    assert "Your drafts" in drafts and "My council piece" in drafts
    assert "A colleague's scoop" not in html
    assert "A colleague in review" not in html


def test_scheduled_stories_the_scheduler_missed_are_overdue(editor_client):
    now = timezone.now()
    due = make_article(headline="Went live unseen", published_at=now)
    make_article(headline="Went live, pages retired", published_at=now)
    waiting = make_article(headline="Links never made", published_at=now)
    # Both were saved before their time came, which passed 30 minutes ago.
    Article.objects.filter(pk__in=[due.pk, waiting.pk]).update(
        published_at=now - timedelta(minutes=30),
        updated_at=now - timedelta(hours=2),
    )
    Article.objects.filter(headline="Went live, pages retired").update(
        published_at=now - timedelta(minutes=30),
        updated_at=now - timedelta(hours=2),
    )
    # The scheduler's last round was an hour ago: it has not run since they
    # went live.
    cache.set(SCHEDULER_HEARTBEAT_KEY, clock.time() - 3600, None)
    html = desk_html(editor_client)
    overdue = part(html, "warnings")
    assert "Went live unseen" in overdue and "Links never made" in overdue

    # A round after their time: nothing is overdue but work still waiting.
    cache.set(SCHEDULER_HEARTBEAT_KEY, clock.time(), None)
    PendingWork.objects.create(kind="related", article=waiting)
    PendingWork.objects.filter(article=waiting).update(
        created_at=now - timedelta(hours=1)
    )
    overdue = part(desk_html(editor_client), "warnings")
    assert "Links never made" in overdue
    assert "Went live unseen" not in overdue
    assert "Went live, pages retired" not in overdue

    PendingWork.objects.all().delete()
    assert 'id="warnings"' not in desk_html(editor_client)


def test_stories_out_or_scheduled_with_an_uncredited_picture_are_flagged(
    editor_client,
):
    def picture(credit):
        return Image.objects.create(
            file=ContentFile(jpeg_bytes(), name="p.jpg"), alt="A hall", credit=credit
        )

    make_article(headline="No credit, live", hero_image=picture(""))
    make_article(
        headline="No credit, scheduled",
        hero_image=picture(""),
        published_at=timezone.now() + timedelta(days=2),
    )
    make_article(
        headline="No credit, a draft",
        hero_image=picture(""),
        status="draft",
        published_at=None,
    )
    make_article(headline="Credited", hero_image=picture("Staff"))
    warnings = part(desk_html(editor_client), "warnings")
    assert "No credit, live" in warnings and "No credit, scheduled" in warnings
    assert "No credit, a draft" not in warnings and "Credited" not in warnings
    assert "/admin/articles/image/" in warnings


def test_the_chart_counts_stories_per_day_with_a_table_for_everyone(
    editor_client, morning
):
    today = timezone.localtime().replace(hour=9, minute=0)
    for hours in (0, 0.5, 1):
        make_article(published_at=today - timedelta(days=2, hours=hours))
    make_article(published_at=today - timedelta(days=40))  # outside the 30 days
    make_article(status="draft", published_at=None)
    html = part(desk_html(editor_client), "per-day")
    assert html.count("<rect ") == 30
    assert 'role="img" aria-labelledby="per-day-summary"' in html
    busiest = (today - timedelta(days=2)).strftime("%a %-d %b")
    assert f"3 stories in 30 days; the busiest day was {busiest} (3)" in html
    assert f"<tr><td>{busiest}</td><td>3</td></tr>" in html


def fill_archive(n):
    section = make_section()
    picture = Image.objects.create(
        file=ContentFile(jpeg_bytes(), name="p.jpg"), alt="A hall", credit=""
    )
    now = timezone.now()
    kinds = [
        {"status": "review", "published_at": None},
        {"status": "draft", "published_at": None},
        {"published_at": now + timedelta(minutes=5)},
        {"published_at": now - timedelta(days=3), "hero_image": picture},
    ]
    for _ in range(n):
        for fields in kinds:
            make_article(section=section, authors=[], **fields)
    Article.objects.filter(status="draft").update(updated_at=now - timedelta(days=60))


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        desk_html(client)
    return len(queries)


def test_the_desk_costs_the_same_queries_whatever_the_archive_size(editor_client):
    fill_archive(2)
    small = count_queries(editor_client)
    fill_archive(25)
    assert count_queries(editor_client) == small == 17


def test_workflow_filter_has_in_review_and_scheduled(editor_client):
    make_article(headline="Awaiting an editor", status="review", published_at=None)
    make_article(
        headline="Out tomorrow", published_at=timezone.now() + timedelta(days=1)
    )
    review = editor_client.get("/admin/articles/article/?workflow=review")
    assert "Awaiting an editor" in review.content.decode()
    assert "Out tomorrow" not in review.content.decode()
    scheduled = editor_client.get("/admin/articles/article/?workflow=scheduled")
    assert "Out tomorrow" in scheduled.content.decode()
    assert "Scheduled for" in scheduled.content.decode()


def test_related_links_show_why_and_editors_pin_or_exclude_them(editor_client):
    section = make_section()
    article = make_article(section=section, tags=["Wrencroft trial"])
    first = make_article(
        section=section, headline="Trial opens", tags=["Wrencroft trial"]
    )
    second = make_article(
        section=section, headline="Witness speaks", tags=["Wrencroft trial"]
    )
    refresh_related(article)
    html = editor_client.get(change_url(article)).content.decode()
    assert "shared tags: Wrencroft trial" in html and "score" in html

    links = {link.target_id: link for link in article.related_links.all()}
    data = change_data(
        article,
        **{
            "related_links-TOTAL_FORMS": "2",
            "related_links-INITIAL_FORMS": "2",
            "related_links-0-id": links[second.pk].pk,
            "related_links-0-article": article.pk,
            "related_links-0-target": second.pk,
            "related_links-0-kind": "pinned",
            "related_links-0-position": "0",
            "related_links-1-id": links[first.pk].pk,
            "related_links-1-article": article.pk,
            "related_links-1-target": first.pk,
            "related_links-1-kind": "excluded",
            "related_links-1-position": "0",
        },
    )
    assert editor_client.post(change_url(article), data).status_code == 302
    kinds = dict(article.related_links.values_list("target_id", "kind"))
    assert kinds[second.pk] == RelatedLink.Kind.PINNED
    assert kinds[first.pk] == RelatedLink.Kind.EXCLUDED
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Witness speaks" in page and "Trial opens" not in page
