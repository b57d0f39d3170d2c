"""Search vectors of imported articles, computed by a task after each batch
(PostgreSQL).

Computing an article's search vector (migration 0004) costs PostgreSQL more
than everything else the import does for that article. So the loader's batch
transactions write articles without one (migration 0005), and once a batch
commits, a task (`articles.tasks.compute_search_vectors`) computes its
vectors in a worker while the loader reads and writes the next batch: the
database's work and the importer's overlap instead of taking turns.

Nothing depends on that task running soon: until an article has its vector,
search computes it on the fly (articles/search.py); the end of every import and
the sweeper compute whatever is still missing, including what a killed import
left behind (a NULL vector is the record of that work).
"""

from django.db import connection

SETTING = "newsroom.search_vector_deferred"
# Rows per statement when computing every missing vector: each statement
# commits on its own, so a long catch-up keeps what it did if it is stopped.
CHUNK = 2000

COMPUTE = """
    UPDATE articles_article
    SET search_vector = articles_search_vector(id, headline, deck, body)
    WHERE search_vector IS NULL{only}
"""
SOME = (
    " AND id IN (SELECT id FROM articles_article WHERE search_vector IS NULL LIMIT %s)"
)


def compute_missing(cursor, ids=None):
    """Compute the missing vectors (of `ids`, or all of them); rows updated."""
    if ids is None:
        cursor.execute(COMPUTE.format(only=""))
    else:
        cursor.execute(COMPUTE.format(only=" AND id = ANY(%s)"), [list(ids)])
    return cursor.rowcount


def compute_all_missing():
    """Compute every missing vector (PostgreSQL), a chunk per statement; how
    many were missing."""
    if connection.vendor != "postgresql":
        return 0
    done = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(COMPUTE.format(only=SOME), [CHUNK])
            done += cursor.rowcount
            if cursor.rowcount < CHUNK:
                return done


def any_missing():
    """Whether some article waits for its vector (one look at a partial index)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM articles_article WHERE search_vector IS NULL)"
        )
        return cursor.fetchone()[0]


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
