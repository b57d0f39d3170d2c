"""Follow-up work is recorded with the write, enqueued after its commit, and
never lost: a refused enqueue, a lost task or a duplicate one all converge.

Tasks run in the test's process here (the immediate backend, tests/conftest.py);
test_workers.py runs the same work in real workers.
"""

import json
import logging
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from articles import scheduler, tasks
from articles.media.tasks import make_image_renditions
from articles.models import Article, Image, PendingWork, RelatedLink
from tests.editorial.test_admin import article_form
from tests.factories import jpeg_bytes, make_article, make_author, make_section
from tests.faults.test_serving_faults import free_port
from tests.ingest.test_import_articles import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The follow-up of related links and renditions alone: with the page cache
    on, writes also record purges, whose rendering and retiring
    tests/delivery/test_render_ahead.py covers."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


PRODUCT = Path(__file__).resolve().parents[2]


def made_for(image):
    """Whether the renditions of the picture's current file were made."""
    image.refresh_from_db()
    return image.made_renditions() is not None


@pytest.fixture
def refusing_queue(settings):
    """RQ on a Redis nobody listens on: every enqueue is refused, for real."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    # The outage report is limited to one a minute across the whole process.
    for report in logging.getLogger("articles.tasks.queue").filters:
        report.next_report = float("-inf")


def pictures(count):
    return [
        Image.objects.create(
            file=default_storage.save(f"images/p{n}.jpg", ContentFile(jpeg_bytes())),
            alt=f"Picture {n}",
        )
        for n in range(count)
    ]


def links(article):
    return set(
        RelatedLink.objects.filter(article=article, kind="computed").values_list(
            "target_id", flat=True
        )
    )


# The one exception: the import command's reader, a child process parsing the
# file the command loads (`import_paths(read_ahead=True)`); never in a request
# or a task (tests/ingest/test_import_ahead.py).
IMPORT_COMMANDS_READER = "articles/ingest/ahead.py"


def test_product_code_starts_no_threads_or_processes():
    found = [
        f"{path.relative_to(PRODUCT)}:{n}"
        for folder in ("articles", "newsroom")
        for path in (PRODUCT / folder).rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.match(
            r"\s*(import|from)\s+(threading|concurrent|multiprocessing)\b", line
        )
        and str(path.relative_to(PRODUCT)) != IMPORT_COMMANDS_READER
    ]
    assert found == [], "background work runs in task workers"


def test_an_editors_save_leaves_the_related_links_to_a_task(
    admin_client, django_capture_on_commit_callbacks
):
    section = make_section()
    author = make_author()
    neighbour = make_article(section=section, tags=["Audit"])
    with django_capture_on_commit_callbacks() as after_commit:
        response = admin_client.post(
            "/admin/articles/article/add/", article_form(section, [author])
        )
    assert response.status_code == 302
    article = Article.objects.get(slug="mayor-resigns")
    assert links(article) == set(), "not computed in the editor's request"
    assert list(PendingWork.objects.values_list("kind", "article")) == [
        ("around", article.pk)
    ]
    for callback in after_commit:
        callback()
    assert links(article) == {neighbour.pk}
    assert article.pk in links(neighbour)
    assert not PendingWork.objects.exists()


def test_publishing_from_the_list_is_one_task_for_all(
    admin_client, django_capture_on_commit_callbacks
):
    drafts = [make_article(status="draft", tags=["Tide"]) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        response = admin_client.post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [a.pk for a in drafts]},
        )
    assert response.status_code == 302
    handed_over = [f for f in after_commit if f.__name__ == "hand_over_after_commit"]
    assert len(handed_over) == 1
    for draft in drafts:
        assert links(draft) == {d.pk for d in drafts} - {draft.pk}
    assert not PendingWork.objects.exists()


def test_work_of_a_rolled_back_write_is_neither_recorded_nor_enqueued(
    django_capture_on_commit_callbacks,
):
    article = make_article(tags=["Tide"])
    with (
        django_capture_on_commit_callbacks() as after_commit,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tasks.record_related([article.pk])
        raise RuntimeError("the save failed")
    assert after_commit == []
    assert not PendingWork.objects.exists()


def test_a_refused_enqueue_keeps_the_work_and_is_reported_once(
    refusing_queue, caplog, django_capture_on_commit_callbacks, settings
):
    stored = pictures(25)  # three tasks' worth
    with django_capture_on_commit_callbacks(execute=True):
        tasks.record_renditions([p.pk for p in stored])
    reports = [r for r in caplog.records if r.name == "articles.tasks.queue"]
    assert len(reports) == 1
    assert (
        reports[0]
        .getMessage()
        .startswith(
            "Task queue unavailable, the scheduler will enqueue the work again: "
            "ConnectionError"
        )
    )
    assert reports[0].exc_info is None, "no traceback"
    assert list(PendingWork.objects.values_list("queued_at", flat=True)) == [None] * 25

    # The queue is back: the sweeper's next round does it all.
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
    assert scheduler.sweep() == 25
    assert not PendingWork.objects.exists()
    assert all(made_for(p) for p in stored)


def test_an_import_with_the_queue_down_succeeds_and_loses_nothing(
    refusing_queue, caplog, django_capture_on_commit_callbacks, settings, tmp_path
):
    source = tmp_path / "tides.jsonl"
    source.write_text(
        "\n".join(
            json.dumps(
                {
                    "uri": f"urn:t:{n}",
                    "headline": f"Tide {n}",
                    "body_html": "<p>High.</p>",
                    "subject": [{"name": "Tides"}],
                }
            )
            for n in range(3)
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        ok, out, err = run_import(source)
    assert ok, err
    assert "3 created" in out
    assert "Follow-up work queued for the task workers: 3" in out
    assert len([r for r in caplog.records if r.name == "articles.tasks.queue"]) == 1
    assert set(PendingWork.objects.values_list("queued_at", flat=True)) == {None}

    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
    assert scheduler.sweep() == 3
    first, second, third = Article.objects.order_by("pk")
    assert links(first) == {second.pk, third.pk}


def test_the_sweeper_enqueues_again_only_the_work_nobody_did():
    refused, lost, in_flight = (make_article(tags=["Tide"]) for _ in range(3))
    for article in (refused, lost, in_flight):
        PendingWork.objects.create(kind="related", article=article)
    PendingWork.objects.filter(article=refused).update(queued_at=None)
    PendingWork.objects.filter(article=lost).update(
        queued_at=timezone.now() - tasks.STALE_AFTER - timedelta(seconds=1)
    )

    assert scheduler.sweep() == 2
    assert links(refused) == {lost.pk, in_flight.pk}
    assert links(lost) == {refused.pk, in_flight.pk}
    assert links(in_flight) == set(), "its task is still to come"
    assert list(PendingWork.objects.values_list("article", "attempts")) == [
        (in_flight.pk, 1)
    ]
    assert scheduler.sweep(stale_after=timedelta(0)) == 1
    assert not PendingWork.objects.exists()


def test_a_task_run_twice_does_the_work_once(django_capture_on_commit_callbacks):
    article = make_article(tags=["Tide"])
    neighbour = make_article(tags=["Tide"])
    (picture,) = pictures(1)
    with django_capture_on_commit_callbacks():
        related = tasks.record_related([article.pk])
        rendition = tasks.record_renditions([picture.pk])
    assert tasks.refresh_related_links.call([related[0].pk]) == 1
    assert tasks.refresh_related_links.call([related[0].pk]) == 0
    assert links(article) == {neighbour.pk}
    assert make_image_renditions.call([rendition[0].pk]) == 1
    assert make_image_renditions.call([rendition[0].pk]) == 0
    # Recorded again for the same file (an edit of the caption): nothing to make.
    again = tasks.record_renditions([picture.pk])
    assert make_image_renditions.call([again[0].pk]) == 0


@pytest.mark.django_db(transaction=True)
def test_saving_a_picture_does_nothing_behind_the_code_that_saved_it():
    """No signal makes renditions: whoever stores a picture records the work."""
    (picture,) = pictures(1)
    assert not made_for(picture)
    assert not PendingWork.objects.exists()


def test_an_import_records_its_follow_up_and_hands_it_over_after_commit(
    tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "tide.jpg").write_bytes(jpeg_bytes((400, 300)))
    source = tmp_path / "tides.jsonl"
    picture = {"type": "picture", "renditions": {"original": {"href": "tide.jpg"}}}
    source.write_text(
        "\n".join(
            json.dumps(
                {
                    "uri": f"urn:t:{n}",
                    "headline": f"Tide {n}",
                    "body_html": "<p>High.</p>",
                    "subject": [{"name": "Tides"}],
                    "associations": {"featureimage": picture},
                }
            )
            for n in range(3)
        )
    )
    with django_capture_on_commit_callbacks() as after_commit:
        ok, out, err = run_import(source, media_dir=tmp_path)
    assert ok, err
    articles = list(Article.objects.order_by("pk"))
    assert sorted(PendingWork.objects.values_list("kind", flat=True)) == [
        "related",
        "related",
        "related",
        "renditions",
    ]
    assert not RelatedLink.objects.exists(), "nothing done inline"
    for callback in after_commit:
        callback()
    assert not PendingWork.objects.exists()
    assert links(articles[0]) == {articles[1].pk, articles[2].pk}
    assert made_for(articles[0].hero_image)


def test_pages_are_retired_when_a_scheduled_story_goes_live(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    make_article(headline="Already out")
    story = make_article(
        headline="Embargoed report", published_at=timezone.now() + timedelta(hours=1)
    )
    reader = Client()
    assert "Embargoed report" not in reader.get("/").content.decode()
    # Its time comes (no write happens then: nothing else retires the page).
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1),
        updated_at=timezone.now() - timedelta(hours=1),
    )
    assert "Embargoed report" not in reader.get("/").content.decode(), "cached"
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert "Embargoed report" in reader.get("/").content.decode()
