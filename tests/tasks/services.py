"""Real task workers, a private Redis and an editor's process for a scratch site.

Everything here is a process of its own, started and stopped by the test that
uses it. Waiting is on conditions, polled with a deadline, never a fixed sleep.
"""

import json
import shutil
import signal
import subprocess
import sys
import time

from tests.faults.scratch import ROOT
from tests.faults.test_serving_faults import free_port

DEADLINE = 60  # seconds any one wait may take on a loaded machine


def wait_until(condition, what, timeout=DEADLINE):
    """Poll `condition` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def tasks_env(site, backend, **extra):
    """The site's environment with `backend` for tasks (and the editor's
    test client allowed as a host)."""
    return {
        **site.env,
        "TASKS_BACKEND": backend,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        **extra,
    }


def edit(env, action, **arguments):
    """Run one editor action (tests/tasks/editor.py) in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.tasks.editor", action, json.dumps(arguments)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1].removeprefix("RESULT ")), done.stderr


def publish(env, story, headline="Storm floods the harbour", **more):
    """Publish a story in `story`'s section, by its author (the `setup`
    action's), through the admin: (the editor's result, its log)."""
    return edit(
        env,
        "publish",
        headline=headline,
        section=story["section"],
        author=story["author"],
        **more,
    )


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Process:
    """A long-running `manage.py` command, its output in a log file."""

    def __init__(self, env, log, *args):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def output(self):
        return self.log.read_text()

    def kill(self):
        """SIGKILL: no chance to finish or tidy anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        """SIGTERM, and wait for a clean exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


def db_worker(site, env, name="worker"):
    return Process(
        env,
        site.dir / f"{name}.log",
        "db_worker",
        "--interval",
        "0.1",
        "--no-startup-delay",
        "--no-reload",
    )


def rq_worker(site, env, name="rqworker"):
    # As django-tasks-rq documents: RQ's worker, with its job class.
    return Process(
        env,
        site.dir / f"{name}.log",
        "rqworker",
        "--with-scheduler",
        "--job-class",
        "django_tasks_rq.Job",
        "urgent",
        "default",
    )


class RedisServer:
    """A private redis-server on a free loopback port, nothing kept on disk."""

    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        import redis

        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, "redis-server to answer")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def jobs(self):
        """{(task name, status): count} of the jobs RQ holds, once none is
        waiting or running."""
        return wait_until(
            lambda: (
                (jobs := self.all_jobs())
                and not {"queued", "started"} & {status for _, status in jobs}
                and jobs
            ),
            "the RQ worker to finish its jobs",
        )

    def all_jobs(self):
        import redis
        from rq import Queue
        from rq.job import Job

        connection = redis.Redis(port=self.port)
        ids = []
        for name in ("urgent", "default"):  # the queues workers take from
            queue = Queue(name, connection=connection)
            ids += [
                *queue.get_job_ids(),
                *queue.started_job_registry.get_job_ids(),
                *queue.finished_job_registry.get_job_ids(),
                *queue.failed_job_registry.get_job_ids(),
            ]
        counts = {}
        for job in Job.fetch_many(ids, connection=connection):
            key = (job.func_name.rsplit(".", 1)[1], str(job.get_status().value))
            if key[0] != HEARTBEAT:
                counts[key] = counts.get(key, 0) + 1
        return counts


# Each scheduler round enqueues one (newsroom/health.py reads it): not work.
HEARTBEAT = "worker_heartbeat"


def task_results(site):
    """{(task name, status): count} of the database backend's task results,
    less the heartbeats."""
    counts = {}
    for path, status in site.rows(
        "SELECT task_path, status FROM django_tasks_database_dbtaskresult"
        f" WHERE task_path NOT LIKE '%.{HEARTBEAT}'"
    ):
        key = (path.rsplit(".", 1)[1], status)
        counts[key] = counts.get(key, 0) + 1
    return counts


def pending_work(site):
    return site.rows("SELECT kind, queued_at IS NULL FROM articles_pendingwork")


def related(site, article):
    return {
        target
        for (target,) in site.rows(
            "SELECT target_id FROM articles_relatedlink "
            f"WHERE article_id = {int(article)} AND kind = 'computed'"
        )
    }


def image_file(site, image):
    ((name,),) = site.rows(f"SELECT file FROM articles_image WHERE id = {int(image)}")
    return name


def rendered(site, image):
    """Whether the renditions of the picture's current file were made (the
    media app records them on the row, with the file they were made of)."""
    ((manifest,),) = site.rows(
        f"SELECT rendition_manifest FROM articles_image WHERE id = {int(image)}"
    )
    if isinstance(manifest, str):  # SQLite returns JSON as text
        manifest = json.loads(manifest)
    return bool(manifest) and manifest.get("file") == image_file(site, image)
