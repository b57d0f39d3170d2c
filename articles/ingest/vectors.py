"""Search vectors of imported articles, computed beside the import (PostgreSQL).

Computing an article's search vector (migration 0002_search) costs PostgreSQL more
than everything else the import does for that article. With `Deferred`, the
loader's batch transactions write articles without one (migration 0002_search), and
after each batch commits its article ids go to a thread with its own
connection, which computes their vectors while the loader reads and writes
the next batch: the database's work and the importer's overlap instead of
taking turns.

Nothing depends on the thread keeping up or surviving: until an article has
its vector, search computes it on the fly (articles/search.py), and `finish`
computes whatever is still missing, including what an earlier, killed import
left behind.
"""

import queue
import threading

from django.db import connection, connections

from articles.search import compute_all_missing, compute_missing

SETTING = "newsroom.search_vector_deferred"


def can_defer():
    """Deferring needs PostgreSQL, and transactions the loader commits itself.

    Inside an outer transaction (--dry-run, a test) the other connection could
    not see the articles, so their vectors are computed as they are written.
    """
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class Deferred:
    """Computes the vectors of committed articles on a second connection."""

    def __init__(self):
        self._queue = queue.SimpleQueue()
        self._thread = None
        self.error = None

    def start_transaction(self):
        """Called in each batch transaction: its articles get no vector yet."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])

    def committed(self, ids):
        """The articles `ids` were committed: compute their vectors soon."""
        if not ids:
            return
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="search-vectors", daemon=True
            )
            self._thread.start()
        self._queue.put(list(ids))

    def _run(self):
        try:
            while (ids := self._queue.get()) is not None:
                if self.error is None:
                    with connections["default"].cursor() as cursor:
                        compute_missing(cursor, ids)
        except Exception as exc:  # finish() computes what is left
            self.error = exc
        finally:
            connections.close_all()  # this thread's connection

    def stop(self, discard=False):
        """Wait for the thread (what it has not done is left for `finish`).

        With `discard`, the batches it has not started are dropped (the run
        is being aborted; search still finds those articles).
        """
        if self._thread is not None:
            while discard:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def finish(self):
        """Wait for the thread, then compute every vector still missing."""
        self.stop()
        return compute_all_missing()
