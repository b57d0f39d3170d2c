"""Health probes: `/healthz` (the process answers) and `/readyz` (it can work).

`/readyz` runs every check below and answers 200 with each one's status, or
503 naming the failing ones, as JSON that is never cached. What a check found
wrong in detail (a host, a path, a driver's message) goes to the log, not to
the response: the probes need no login.

The probes are answered by a middleware at the top of the stack, not by a
URL: load balancers and orchestrators probe a server by its address over
plain HTTP, which the host check and the HTTPS redirect would refuse, and the
page cache below reads the cache (the database, without Redis) before any
view runs, which `/healthz` must not depend on. The project package holds
them because they look at every app's services; core imports none of this.

The database, cache and storage checks are django-health-check's; the others
are the newsroom's own (docs/deploy.md says what each means).
"""

import asyncio
import dataclasses
import time
import uuid
from datetime import timedelta

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import HealthCheckException, ServiceUnavailable

from articles import scheduler
from articles.models import Article
from articles.scheduler import SCHEDULER_HEARTBEAT_KEY, WORKER_HEARTBEAT_KEY
from articles.storage import storage_unreachable

try:  # Django 6
    from django.tasks import default_task_backend
    from django.tasks.exceptions import TaskResultDoesNotExist
except ImportError:  # Django 5.2: the backport
    from django_tasks import default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


@dataclasses.dataclass
class Check(HealthCheck):
    """A check run in the request's own thread, where its database connection
    is (the library runs synchronous checks in a thread pool, whose connections
    no request closes); `problem` raises ServiceUnavailable with a message safe
    to show anyone."""

    async def run(self):
        await sync_to_async(self.problem)()

    def problem(self):
        raise NotImplementedError


def unavailable(message, library_check):
    """Run one of the library's checks; its own message may name a host or a
    path, so the response gets `message` (the log keeps the original)."""
    try:
        library_check.run()
    except Exception as error:
        raise ServiceUnavailable(message) from error


class Database(Check):
    def problem(self):
        unavailable("not reachable", checks.Database())


class Storage(Check):
    """Writes, reads and deletes a file in media storage (a folder or a bucket)."""

    def problem(self):
        try:
            checks.Storage().run()
        except Exception as error:
            reason = "not reachable" if storage_unreachable(error) else "not writable"
            raise ServiceUnavailable(reason) from error


@dataclasses.dataclass
class Cache(checks.Cache):
    key_prefix: str = dataclasses.field(default="health", repr=False)

    async def run(self):
        try:
            await super().run()
        except HealthCheckException as error:
            # Redis down is a miss for django-redis: nothing read back.
            raise ServiceUnavailable("not reachable") from error


class Migrations(Check):
    def problem(self):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            first, _ = plan[0]
            raise ServiceUnavailable(
                f"{len(plan)} not applied, from {first.app_label}.{first.name}"
            )


class TaskQueue(Check):
    """Asks the task backend for a result that does not exist: a reachable
    queue says so, an unreachable one raises. A backend that keeps no results
    (the immediate one) runs tasks in-process and has nothing to reach."""

    def problem(self):
        if not default_task_backend.supports_get_result:
            return
        try:
            default_task_backend.get_result(str(uuid.uuid4()))
        except TaskResultDoesNotExist:
            return
        except Exception as error:
            raise ServiceUnavailable("not reachable") from error


def heartbeat_age(key):
    """Seconds since the heartbeat `key` was recorded, or None if it never was."""
    beat = cache.get(key)
    return None if beat is None else time.time() - beat


@dataclasses.dataclass
class Heartbeat(Check):
    """The scheduler records a heartbeat each round, and enqueues a task that
    records the workers' (articles/scheduler.py): an old one means the scheduler,
    or every worker, stopped."""

    key: str = ""
    who: str = ""

    def problem(self):
        age = heartbeat_age(self.key)
        limit = settings.NEWSROOM_HEARTBEAT_MAX_AGE
        if age is None:
            raise ServiceUnavailable(f"no {self.who} has reported yet")
        if age > limit:
            raise ServiceUnavailable(
                f"no {self.who} has reported for {age / 60:.0f} minutes"
            )


class Schedule(Check):
    """No story overdue: none that went live more than NEWSROOM_OVERDUE_AFTER
    ago still has follow-up work (its related links, so it shows under its
    neighbours) recorded before then and not done, and none that went live by
    schedule (no save since) that long ago is newer than the scheduler's last
    round, which retires the pages that do not show it."""

    def problem(self):
        age = heartbeat_age(SCHEDULER_HEARTBEAT_KEY)
        # Without a round on record, the scheduler check says it never ran.
        last_round = None if age is None else timezone.now() - timedelta(seconds=age)
        cutoff, waiting, missed = scheduler.overdue(last_round or timezone.now())
        gone_live = Article.objects.published().filter(published_at__lte=cutoff)
        if count := gone_live.filter(waiting).count():
            raise ServiceUnavailable(
                f"{count} live stories still wait for their follow-up work"
            )
        if last_round is None:
            return
        if count := gone_live.filter(missed).count():
            raise ServiceUnavailable(
                f"{count} stories went live after the scheduler's last round"
            )


CHECKS = {
    "database": Database(),
    "cache": Cache(),
    "storage": Storage(),
    "migrations": Migrations(),
    "task_queue": TaskQueue(),
    "scheduler": Heartbeat(key=SCHEDULER_HEARTBEAT_KEY, who="scheduler"),
    "worker": Heartbeat(key=WORKER_HEARTBEAT_KEY, who="task worker"),
    "schedule": Schedule(),
}


async def run_checks():
    return await asyncio.gather(*(check.get_result() for check in CHECKS.values()))


def probe_response(data, status=200):
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)  # no-store: no cache, edge or browser
    return response


def liveness():
    return probe_response({"status": "ok"})


def readiness():
    results = dict(zip(CHECKS, async_to_sync(run_checks)(), strict=True))
    failing = [name for name, result in results.items() if result.error]
    statuses = {
        name: "ok" if not result.error else result.error.message
        for name, result in results.items()
    }
    return probe_response(
        {
            "status": "failing" if failing else "ok",
            "failing": failing,
            "checks": statuses,
        },
        status=503 if failing else 200,
    )


PROBES = {LIVENESS_PATH: liveness, READINESS_PATH: readiness}


class HealthProbeMiddleware:
    """Answer `/healthz` and `/readyz` before anything else (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe()
