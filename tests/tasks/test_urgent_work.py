"""What readers wait for goes ahead of the queue: an edit's edge purge is run
before the related-link and search-vector work an import left, by the
database backend's worker (the top priority) and by RQ's (the `urgent` queue,
taken first): the database worker's own pick, and RQ's worker run for real
in this process on a private redis-server, in burst mode."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from articles import publishing, tasks
from articles.delivery.tasks import purge_pages
from tests.delivery.purge_server import PurgeServer
from tests.factories import make_article

from .services import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def varnish(settings):
    with PurgeServer() as server:
        settings.NEWSROOM_EDGE_PURGE = [{"KIND": "varnish", "URLS": [server.url]}]
        yield server


def an_import_then_an_edit(capture):
    """Related-link work for a whole archive, then an editor's edit."""
    archive = [make_article(slug=f"story-{n}") for n in range(3)]
    with capture(execute=True):
        tasks.record_related([a.pk for a in archive])
    with capture(execute=True):
        publishing.update(archive[0], by=None, headline="Harbour reopens today")
    return archive[0]


def test_the_database_worker_takes_the_purge_first(
    settings, varnish, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    an_import_then_an_edit(django_capture_on_commit_callbacks)
    enqueued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(enqueued) > 1
    assert enqueued[-1].task_path == purge_pages.module_path  # enqueued last

    # What `db_worker` asks for each time it takes a task (run in its own
    # process elsewhere: tests/tasks/test_workers.py): the purge comes first.
    with transaction.atomic():
        taken = DBTaskResult.objects.ready().get_locked()
    assert taken.task_path == purge_pages.module_path


def test_an_rq_worker_takes_the_purge_first(
    settings, tmp_path, varnish, django_capture_on_commit_callbacks
):
    redis_server = RedisServer(tmp_path)
    if redis_server.binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    redis_server.start()
    try:
        import django_rq
        from rq import SimpleWorker

        settings.TASKS = {
            "default": {
                "BACKEND": settings.TASK_BACKENDS["rq"],
                "QUEUES": ["urgent", "default"],
            }
        }
        settings.RQ_QUEUES = {
            name: {"URL": redis_server.url} for name in ("urgent", "default")
        }
        an_import_then_an_edit(django_capture_on_commit_callbacks)
        urgent, default = (django_rq.get_queue(n) for n in ("urgent", "default"))
        assert urgent.count == 1 and default.count >= 1
        job_ids = urgent.job_ids + default.job_ids

        # As `rqworker urgent default` does, without forking a work horse.
        from django_tasks_rq import Job

        worker = SimpleWorker(
            [urgent, default], connection=urgent.connection, job_class=Job
        )
        worker.work(burst=True)

        jobs = Job.fetch_many(job_ids, connection=urgent.connection)
        first = min(jobs, key=lambda job: job.started_at)
        assert first.func_name.endswith("purge_pages")
        assert all(job.get_status() == "finished" for job in jobs)
        assert varnish.requests
    finally:
        redis_server.stop()
