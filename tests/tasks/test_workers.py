"""Follow-up work done by real workers, at least once and never lost.

Each test runs a scratch site (tests/faults/scratch.py) with real processes:
an editor's process that publishes through the admin, a task worker (the
database backend's `db_worker`, or RQ's worker on a private redis-server), the
sweeper (`run_scheduler`) and, for the shared cache, gunicorn.
"""

import signal
import sys

import pytest

from tests.faults.scratch import ScratchSite
from tests.faults.test_serving_faults import Server

from .services import (
    Process,
    db_worker,
    edit,
    manage,
    pending_work,
    publish,
    related,
    rendered,
    rq_worker,
    task_results,
    tasks_env,
    wait_until,
)

if sys.platform != "linux":  # pragma: no cover
    pytestmark = pytest.mark.skip("worker tests use Linux process tools")


@pytest.fixture
def site(tmp_path):
    site = ScratchSite(tmp_path)
    yield site
    site.drop()


def publish_with_picture(env, story, headline="Storm floods the harbour"):
    picture, _ = edit(env, "upload")
    assert picture["status"] == 302, picture
    published, log = publish(env, story, headline, image=picture["image"])
    assert published["status"] == 302, published
    return picture["image"], published["article"], log


def test_a_worker_does_the_follow_up_of_a_publish_exactly_once(site):
    env = tasks_env(site, "database")
    story, _ = edit(env, "setup")
    worker = db_worker(site, env)
    try:
        image, article, _ = publish_with_picture(env, story)
        wait_until(lambda: not pending_work(site), "the follow-up work")
        assert rendered(site, image)
        assert related(site, article) == {story["neighbour"]}
        assert article in related(site, story["neighbour"]), "both ways"
        assert task_results(site) == {
            ("make_image_renditions", "SUCCESSFUL"): 1,
            ("refresh_related_links", "SUCCESSFUL"): 1,
            # The publish's pages retired and rendered again; then the page
            # its new related links are on.
            ("purge_pages", "SUCCESSFUL"): 2,
        }
    finally:
        assert worker.stop() == 0, worker.output()


def test_an_rq_worker_does_the_follow_up_of_a_publish_exactly_once(site, redis_server):
    env = tasks_env(site, "rq", TASKS_REDIS_URL=redis_server.url)
    story, _ = edit(env, "setup")
    worker = rq_worker(site, env)
    try:
        image, article, _ = publish_with_picture(env, story)
        wait_until(lambda: not pending_work(site), "the follow-up work")
        assert rendered(site, image)
        assert related(site, article) == {story["neighbour"]}
        assert redis_server.jobs() == {
            ("make_image_renditions", "finished"): 1,
            ("refresh_related_links", "finished"): 1,
            ("purge_pages", "finished"): 2,
        }
        assert task_results(site) == {}, "nothing went to the database backend"
    finally:
        worker.stop()
    assert "Traceback" not in worker.output(), worker.output()


def test_work_of_a_worker_killed_mid_task_is_enqueued_again_and_done_once(site):
    env = tasks_env(site, "database")
    story, _ = edit(env, "setup")
    # A large picture keeps the worker busy long enough to be killed mid-task.
    picture, _ = edit(env, "upload", width=6000, height=4000)
    worker = db_worker(site, env)
    wait_until(
        lambda: ("make_image_renditions", "RUNNING") in task_results(site),
        "the worker to start the renditions",
    )
    worker.kill()
    assert not rendered(site, picture["image"]), "killed before it finished"
    assert pending_work(site) == [("renditions", False)], "still on record"

    # The sweeper enqueues it again (at once, with --stale-after 0).
    sweep = manage(env, "run_scheduler", "--once", "--stale-after", "0")
    assert sweep.returncode == 0, sweep.stderr
    assert "Enqueued 1 records of pending work" in sweep.stdout
    worker = db_worker(site, env, name="second-worker")
    try:
        wait_until(lambda: not pending_work(site), "the work to be done")
        assert rendered(site, picture["image"])
        assert task_results(site) == {
            # The killed worker's row stays as it was left.
            ("make_image_renditions", "RUNNING"): 1,
            ("make_image_renditions", "SUCCESSFUL"): 1,
        }
        ((made,),) = site.rows(
            "SELECT return_value FROM django_tasks_database_dbtaskresult"
            " WHERE status = 'SUCCESSFUL' AND task_path NOT LIKE '%.worker_heartbeat'"
        )
        assert str(made) == "1", "the picture was rendered once"
    finally:
        assert worker.stop() == 0, worker.output()


def test_redis_down_during_a_publish_loses_nothing(site, redis_server):
    env = tasks_env(site, "rq", TASKS_REDIS_URL=redis_server.url)
    story, _ = edit(env, "setup")
    redis_server.stop()
    published, log = publish(env, story)
    assert published["status"] == 302, "the editor's save succeeded"
    outage = [line for line in log.splitlines() if "Task queue unavailable" in line]
    assert len(outage) == 1, log
    assert "Traceback" not in log, log
    assert sorted(pending_work(site)) == [("around", True), ("purge", True)], (
        "on record, not enqueued"
    )

    redis_server.start()
    worker = rq_worker(site, env)
    try:
        sweep = manage(env, "run_scheduler", "--once")
        assert sweep.returncode == 0, sweep.stderr
        assert "Enqueued 2 records of pending work" in sweep.stdout
        wait_until(lambda: not pending_work(site), "the follow-up work")
        assert related(site, published["article"]) == {story["neighbour"]}
        assert redis_server.jobs() == {
            ("refresh_related_links", "finished"): 1,
            ("purge_pages", "finished"): 2,
        }
    finally:
        worker.stop()


def test_a_workers_writes_and_an_unpublish_reach_every_process(site):
    """gunicorn caches pages; a worker and an editor's process retire them."""
    env = tasks_env(site, "database")
    story, _ = edit(env, "setup")
    worker = db_worker(site, env)
    server = Server(site, TASKS_BACKEND="database")
    try:
        neighbour_url = story["neighbour_url"]
        status, page = server.get(neighbour_url)
        assert status == 200 and "Storm floods the harbour" not in page
        assert server.get(neighbour_url)[1] == page  # cached now

        published, _ = publish(env, story)
        wait_until(lambda: not pending_work(site), "the related links")
        # The worker's links retired the page gunicorn had cached.
        assert "Storm floods the harbour" in server.get(neighbour_url)[1]

        assert server.get(published["url"])[0] == 200  # cached too
        done, _ = edit(env, "unpublish", article=published["article"])
        assert done["status"] == 302
        assert server.get(published["url"])[0] == 404
    finally:
        server.stop()
        assert worker.stop() == 0, worker.output()


def test_the_scheduler_stops_cleanly_on_sigterm_and_sigint(site):
    env = tasks_env(site, "database")
    for signum in (signal.SIGTERM, signal.SIGINT):
        scheduler = Process(
            env,
            site.dir / f"scheduler-{signum}.log",
            "run_scheduler",
            "--interval",
            3600,
        )
        wait_until(lambda s=scheduler: "Scheduler running" in s.output(), "its start")
        scheduler.process.send_signal(signum)
        assert scheduler.process.wait(timeout=30) == 0, scheduler.output()
        assert scheduler.output().rstrip().endswith("Scheduler stopped.")
        assert "Traceback" not in scheduler.output()
