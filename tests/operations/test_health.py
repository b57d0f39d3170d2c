"""/healthz and /readyz: each check failing for real, and what the probes show."""

import json
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from articles.models import Article, PendingWork
from articles.scheduler import (
    SCHEDULER_HEARTBEAT_KEY,
    WORKER_HEARTBEAT_KEY,
    Scheduler,
)
from tests.factories import make_article

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def heartbeats(scheduler_age=0, worker_age=0):
    cache.set(SCHEDULER_HEARTBEAT_KEY, time.time() - scheduler_age, None)
    cache.set(WORKER_HEARTBEAT_KEY, time.time() - worker_age, None)


def readyz(**headers):
    response = Client().get("/readyz", **headers)
    return response, json.loads(response.content)


def test_healthz_answers_any_host_over_plain_http_and_is_never_cached(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_200_with_every_check_when_all_is_well(
    settings, django_assert_max_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    heartbeats()
    with django_assert_max_num_queries(5):
        response, body = readyz(HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["checks"] == dict.fromkeys(
        [
            "database",
            "cache",
            "storage",
            "migrations",
            "task_queue",
            "scheduler",
            "worker",
            "schedule",
        ],
        "ok",
    )


def test_a_scheduler_round_with_a_worker_makes_readyz_ready():
    """The scheduler records its round and enqueues the workers' heartbeat,
    which a worker runs (here as it is enqueued)."""
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"] == ["scheduler", "worker"]
    Scheduler().run_once()
    response, body = readyz()
    assert response.status_code == 200


def test_the_database_queue_is_checked_through_its_table(settings):
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    heartbeats()
    response, body = readyz()
    assert response.status_code == 200
    assert body["checks"]["task_queue"] == "ok"


def test_unreachable_database_fails_readyz_without_naming_host_or_password():
    """A process whose database does not answer: it is alive, not ready."""
    port = closed_port()
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "for path in ('/healthz', '/readyz'):\n"
        "    r = Client().get(path)\n"
        "    print(r.status_code, r.content.decode())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"postgres://newsroom:s3cret-pw@127.0.0.1:{port}/newsroom",
        "TASKS_BACKEND": "immediate",
        "MEDIA_ROOT": os.environ.get("TMPDIR", "/tmp"),
    }
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    healthz, readyz_line = done.stdout.splitlines()
    assert healthz == '200 {"status": "ok"}'
    status, body = readyz_line.split(" ", 1)
    assert status == "503"
    report = json.loads(body)
    assert "database" in report["failing"]
    assert report["checks"]["database"] == "not reachable"
    for secret in ("s3cret-pw", "127.0.0.1", str(port), "newsroom:"):
        assert secret not in body


def test_unreachable_cache_fails_readyz(settings):
    heartbeats()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",  # nothing listens
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        },
    }
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"][0] == "cache"
    assert body["checks"]["cache"] == "not reachable"
    assert "127.0.0.1" not in response.content.decode()


def test_unwritable_storage_fails_readyz_without_naming_the_path(settings, tmp_path):
    # Permission bits do not stop root: a folder inside a regular file cannot
    # be made by anyone.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    heartbeats()
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"] == ["storage"]
    assert body["checks"]["storage"] == "not writable"
    assert str(tmp_path) not in response.content.decode()


def test_pending_migrations_fail_readyz():
    heartbeats()
    latest = MigrationRecorder.Migration.objects.filter(app="articles").latest("id")
    latest.delete()  # as if the code were deployed before `migrate` ran
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == (
        f"1 not applied, from articles.{latest.name}"
    )


def test_no_worker_for_a_while_fails_readyz(settings):
    settings.NEWSROOM_HEARTBEAT_MAX_AGE = 300
    heartbeats(worker_age=20 * 60)
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"] == "no task worker has reported for 20 minutes"


def test_a_live_story_whose_follow_up_work_is_long_undone_is_overdue(settings):
    settings.NEWSROOM_OVERDUE_AFTER = 600
    heartbeats()
    story = make_article(published_at=timezone.now() - timedelta(hours=1))
    work = PendingWork.objects.create(kind=PendingWork.Kind.RELATED, article=story)
    response, _ = readyz()
    assert response.status_code == 200  # just recorded: a worker has time

    PendingWork.objects.filter(pk=work.pk).update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"] == ["schedule"]
    assert body["checks"]["schedule"] == (
        "1 live stories still wait for their follow-up work"
    )


def test_a_story_gone_live_since_the_last_scheduler_round_is_overdue(settings):
    settings.NEWSROOM_OVERDUE_AFTER = 600
    settings.NEWSROOM_HEARTBEAT_MAX_AGE = 3600
    heartbeats(scheduler_age=40 * 60)
    went_live = timezone.now() - timedelta(minutes=20)
    story = make_article(published_at=went_live)
    # Saved before its time, then went live by schedule.
    Article.objects.filter(pk=story.pk).update(
        updated_at=went_live - timedelta(hours=1)
    )
    response, body = readyz()
    assert response.status_code == 503
    assert body["failing"] == ["schedule"]
    assert body["checks"]["schedule"] == (
        "1 stories went live after the scheduler's last round"
    )


def test_the_page_cache_never_keeps_a_probe(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    first, _ = readyz()
    assert first.status_code == 503
    heartbeats()
    second, body = readyz()
    assert second.status_code == 200
    assert "no-store" in second["Cache-Control"]
    assert not [key for key in cache._cache if ":page:" in key]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="nothing else to check on SQLite"
)
def test_readyz_on_postgresql_reports_ready():
    heartbeats()
    response, _ = readyz()
    assert response.status_code == 200
