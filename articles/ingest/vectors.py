"""Search vectors of imported articles, computed by a task after each batch
(PostgreSQL).

Computing an article's search vector (migration 0002_search) costs PostgreSQL
more than everything else the import does for that article. So the loader's
batch transactions write articles without one, and once a batch commits, a
task (`articles.tasks.compute_search_vectors`) computes its vectors in a worker
while the loader reads and writes the next batch: the database's work and the
importer's overlap instead of taking turns.

Nothing depends on that task running soon: until an article has its vector,
search computes it on the fly (articles/search.py); the sweeper computes
whatever is still missing, including what a killed import left behind (a NULL
vector is the record of that work).
"""

from django.db import connection

SETTING = "newsroom.search_vector_deferred"


def can_defer():
    """Deferring needs PostgreSQL, and transactions the loader commits itself.

    Inside an outer transaction (--dry-run, a test) the batch's commit is not
    the end of the transaction, so the vectors are computed as the articles are
    written.
    """
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def defer_in_this_transaction():
    """The articles the open transaction writes get no vector yet."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
