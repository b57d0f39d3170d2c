"""The follow-up work of an import: recorded with its articles, done by tasks.

An import commits its articles a batch at a time, and what they need next
comes after: related links (articles/related.py), renditions of the pictures
it stored (the media app) and, on PostgreSQL, search vectors
(articles/search.py). Each batch records its articles' follow-up work (`PendingWork`)
in the transaction that writes them; once the batch commits, the renditions of
its pictures and its search vectors go to the task queue (articles/tasks.py).
Related links wait for the end of the run: they are scored against every
article, so they are computed once the run has written all of its own. Then
the run hands the queue all pending work, its own and whatever an earlier,
killed run left, which the next run finds still on record (and so does the
sweeper, `manage.py run_scheduler`).

Search vectors need no record of their own: an article written without one
has a NULL vector (migration 0002_search), and that is the record.
"""

from django.db import transaction

from . import tasks
from .models import Article


def record(article_ids, *, pictures=(), vectors=False):
    """Record that the articles `article_ids` need their related links and the
    `pictures` (just stored) their renditions; once the transaction commits,
    enqueue the renditions, and with `vectors` the articles' search vectors.

    Call it in the transaction that writes the articles.
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


def hand_over():
    """Once the run's last batch commits, enqueue the draining of all pending
    work (related links first)."""
    tasks.drain_after_commit()


def refresh_related(*, progress=None, chunk=500):
    """Refresh, here and now, the related links of every article waiting for
    them; returns how many articles that was."""
    return tasks.finish_related(chunk=chunk, progress=progress)


def finish(*, chunk=500):
    """Do all pending work here and now (`manage.py refresh_related`)."""
    return tasks.finish_pending_work(chunk=chunk)
