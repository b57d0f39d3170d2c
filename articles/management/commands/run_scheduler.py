"""The sweeper and clock: one per deployment, beside the task workers.

    python manage.py run_scheduler [--interval 30] [--stale-after 600] [--once]

Each round it enqueues again the follow-up work nobody did (the queue refused
it, or its task was lost or killed: see articles/tasks.py), retires cached
pages when scheduled stories go live, and computes search vectors an import
left missing. It stops cleanly on SIGTERM or SIGINT; `--once` runs one round.
"""

import signal
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from articles.scheduler import Scheduler
from articles.tasks import STALE_AFTER


class Stop(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Enqueue again the follow-up work nobody did and run the periodic jobs "
        "(scheduled publications); one per deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconds between rounds (default 30; sooner for a scheduled story).",
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=STALE_AFTER.total_seconds(),
            help="Seconds after which enqueued work still not done is enqueued "
            "again (default %(default)s; 0 enqueues all pending work now).",
        )
        parser.add_argument("--once", action="store_true", help="Run one round.")

    def handle(self, *, interval, stale_after, once, **options):
        if interval <= 0 or stale_after < 0:
            raise CommandError(
                "--interval must be positive and --stale-after not negative."
            )
        self.verbosity = options["verbosity"]
        scheduler = Scheduler(stale_after=timedelta(seconds=stale_after))
        if once:
            self.report(scheduler.run_once())
            return
        self.stopping = self.waiting = False
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self.stop)
        if self.verbosity:
            self.stdout.write(
                f"Scheduler running: a round every {interval:g} s; work enqueued "
                f"{stale_after:g} s ago and not done yet is enqueued again."
            )
        try:
            while not self.stopping:
                self.report(scheduler.run_once())
                self.wait(scheduler.seconds_to_wait(interval))
        except Stop:
            pass
        if self.verbosity:
            self.stdout.write("Scheduler stopped.")

    def stop(self, signum, frame):
        """Finish the round under way, or stop waiting at once."""
        self.stopping = True
        if self.waiting:
            raise Stop

    def wait(self, seconds):
        self.waiting = True
        try:
            if not self.stopping and seconds > 0:
                time.sleep(seconds)
        finally:
            self.waiting = False

    def report(self, done):
        if self.verbosity and any(done.values()):
            self.stdout.write(
                f"Enqueued {done['work']} records of pending work"
                + (", the retiring of pages gone live" if done.get("went_live") else "")
                + (", missing search vectors" if done.get("vectors") else "")
                + "."
            )
