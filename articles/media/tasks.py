"""The media app's background work: renditions of stored pictures, and the
withdrawal of pictures whose rights have expired (expiry.py).

Core records the work (`articles.tasks.record_renditions`, in the transaction
that stores the picture) and hands it to this task, which the app registers
with core when it is ready (apps.py).
"""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, the same API
    from django_tasks import task

from articles import tasks
from articles.models import Image, PendingWork

from . import expiry, renditions

CHUNK = 10  # pictures per task: each takes a second or two


@task()
def make_image_renditions(work_ids):
    """Make the renditions of the pictures of the records `work_ids` that have
    none for their current file and focal point; returns how many were made."""
    return renditions_of(tasks.pending(work_ids, (PendingWork.Kind.RENDITIONS,)))


@task()
def withdraw_expired_pictures():
    """Withdraw the pictures whose rights have expired; returns how many."""
    return expiry.withdraw_expired()


def renditions_of(work):
    """Make the missing renditions of the pictures of `work` (`pending` rows),
    then delete its records."""
    made = 0
    for image in Image.objects.filter(pk__in={row[3] for row in work}).exclude(file=""):
        if image.rights_expired:
            continue  # withdrawn, not made (expiry.py)
        if not renditions.is_current(image):
            renditions.make_renditions(image)
            made += 1
    tasks.done(work)
    return made
