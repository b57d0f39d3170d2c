"""Loading records in batches, one transaction each.

The first batch is small, so the first articles appear soon, and each next one
twice as large, up to `batch_size`. In a batch, the unchanged records are
recognised and the new ones created in bulk (bulk.py); the rest go one by one,
each in its own savepoint (upsert.py). A killed run so loses at most the open
batch (never half an article), and a failed record leaves no trace. Each batch
also records the follow-up work its articles need (`record_follow_up`), in the
batch's own transaction, so a killed run's is still on record.
"""

from contextlib import nullcontext

from django.db import transaction

from articles import tasks
from articles.freshness import bulk_writes
from articles.models import Article

from . import matching, tags
from .ahead import ReadAhead, can_read_ahead
from .bulk import create_in_bulk, unchanged_in_bulk, well_formed
from .run import Run
from .upsert import load_one
from .vectors import can_defer, defer_in_this_transaction

FIRST_BATCH = 100
MAX_BATCH = 1000


def record_follow_up(article_ids, *, pictures=(), vectors=False):
    """Record that the articles `article_ids` need their related links and the
    `pictures` (just stored) their renditions; once the transaction commits,
    enqueue the renditions, and with `vectors` the articles' search vectors.

    Related links are handed over when the run has written all its articles
    (`tasks.drain_after_commit`): they are scored against every article.
    """
    article_ids = list(dict.fromkeys(article_ids))
    tasks.record_related(article_ids, enqueue=False)
    if pictures and article_ids:
        # Those the batch's articles show: a picture stored for a record that
        # failed went with the record's savepoint.
        tasks.record_renditions(
            Article.objects.filter(pk__in=article_ids, hero_image__in=pictures)
            .values_list("hero_image", flat=True)
            .distinct()
        )
    if vectors and article_ids:

        def compute_search_vectors_after_commit():
            tasks.enqueue(tasks.compute_search_vectors, article_ids)

        transaction.on_commit(compute_search_vectors_after_commit, robust=True)


class Loader:
    """Takes parser items one at a time (`handle`) and loads them in batches;
    `commit` loads and commits the rest, `abort` rolls the open batch back.

    The keyword options are the run's (run.py). `on_outcome(item, outcome)` is
    called for every item, in order, as it is decided. With `defer_search`,
    PostgreSQL computes the search vectors by a task beside the import
    (vectors.py). With `read_ahead`, `read` may parse a file in a second
    process (ahead.py): for the import command, not for a request or a task.
    """

    def __init__(
        self,
        *,
        batch_size=MAX_BATCH,
        on_outcome=None,
        defer_search=False,
        read_ahead=False,
        **options,
    ):
        self.run = Run(**options)
        self.read_ahead = read_ahead
        self.batch_size = batch_size
        self.on_outcome = on_outcome
        self.defer_search = defer_search
        self._deferring = False
        self._batch = None
        self._batch_start = 0  # result.touched[_batch_start:] is the open batch's
        self._pending = []  # (item, source) waiting for the next flush
        self._next_batch = min(FIRST_BATCH, batch_size)

    @property
    def result(self):
        return self.run.result

    def read(self, source, stream, fmt, *, zone=None, on_read=None):
        """Load the items of `source`, open as `stream`, in format `fmt`;
        `on_read(item)` is called as each is read.

        With `read_ahead`, on PostgreSQL and a second core, a child process
        parses the next items while this one loads a batch (ahead.py). A
        problem with the file (`SourceError`, a read error) is raised after
        the items before it were handed to the loader, as when reading in
        this process.
        """
        if self.read_ahead and can_read_ahead(source, fmt):
            reading = ReadAhead(source, stream, fmt, zone=zone)
        else:
            known_tags = self.known_tags
            reading = nullcontext(
                source.records(stream, fmt, known_tags=known_tags, zone=zone)
            )
        with reading as items:
            for item in items:
                self.handle(item, source)
                if on_read:
                    on_read(item)

    def handle(self, item, source):
        """Queue one parser item; the batch is loaded when it is full."""
        self._pending.append((item, str(source)))
        if len(self._pending) >= self._next_batch:
            self.commit()
            self._next_batch = min(self._next_batch * 2, self.batch_size)

    def commit(self):
        """Load what is pending and commit it."""
        self.flush()
        if self._batch is not None:
            record_follow_up(
                self.result.touched[self._batch_start :],
                pictures=self.run.pictures.stored,
                vectors=self._deferring,
            )
            batch, self._batch = self._batch, None
            batch.__exit__(None, None, None)

    def abort(self, exc):
        self._pending = []
        if self._batch is not None:
            batch, self._batch = self._batch, None
            batch.__exit__(type(exc), exc, exc.__traceback__)

    def known_tags(self, line):
        """Names of existing tags that occur in `line` (for run-on tag lines)."""
        self.flush()  # tags of the records read before this one exist too
        return tags.known_in(line)

    def flush(self):
        """Load the pending items (in the open transaction)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        self._begin()
        run = self.run
        with bulk_writes():
            records = well_formed(item for item, _ in pending)
            known = matching.known(records)
            unchanged = unchanged_in_bulk(run, records, known)
            created = create_in_bulk(run, records, known)
            for item, source in pending:
                if id(item) in created:
                    outcome = self._decided(item, source, created[id(item)], "created")
                elif id(item) in unchanged and unchanged[id(item)] not in run.seen:
                    outcome = self._decided(
                        item, source, unchanged[id(item)], "unchanged"
                    )
                else:
                    outcome = load_one(run, item, source)
                if self.on_outcome:
                    self.on_outcome(item, outcome)

    def _begin(self):
        if self._batch is None:
            self._deferring = self.defer_search and can_defer()
            self._batch_start = len(self.result.touched)
            self.run.pictures.stored = set()
            self._batch = transaction.atomic()
            self._batch.__enter__()
            if self._deferring:
                defer_in_this_transaction()

    def _decided(self, record, source, pk, outcome):
        """Count a record the bulk path decided."""
        if outcome == "created":
            self.result.created += 1
            self.result.touched.append(pk)
        else:
            self.result.unchanged += 1
        self.run.seen.add(pk)
        self.result.loaded(source, record)
        return outcome
