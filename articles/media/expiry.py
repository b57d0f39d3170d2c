"""Withdrawing pictures whose rights have expired.

Pages stop showing such a picture at its expiry time by themselves
(`Image.is_shown`, `picture_rights.without_expired`). The scheduler's round
then finds it (`due`) and a task withdraws it (`withdraw`): its renditions
leave media storage, its row says they were withdrawn, and the pages that
showed it are retired and purged at the edge (articles/purges.py). The
uploaded file is kept, so renewed rights bring the picture back: its
renditions are made again (the picture admin records that work).
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles import purges
from articles.freshness import pages_changed
from articles.models import Article, Image
from articles.picture_rights import expired_unwithdrawn
from articles.storage import storage_failed

from . import renditions

logger = logging.getLogger(__name__)


def due(now):
    """Is a picture's rights expiry waiting to be acted on?"""
    return expired_unwithdrawn(now).exists()


def withdraw_expired(now=None):
    """Withdraw every picture whose rights have expired; returns how many."""
    images = list(expired_unwithdrawn(now))
    for image in images:
        withdraw(image)
    return len(images)


def withdraw(image):
    """Withdraw `image`'s renditions and purge the pages that showed it."""
    files = sorted(renditions.stored_files([image]).get(image.file.name, ()))
    with transaction.atomic():
        withdrawn = {"file": image.file.name, "withdrawn": timezone.now().isoformat()}
        Image.objects.filter(pk=image.pk).update(rendition_manifest=withdrawn)
        image.rendition_manifest = withdrawn
        purges.record_purge_of(articles_showing(image))
        pages_changed(articles=True)
        transaction.on_commit(partial(delete_files, files))


def articles_showing(image):
    """The ids of the articles whose hero or body shows `image`."""
    showing = Q(hero_image=image) | Q(body__contains=image.file.name)
    return list(Article.objects.filter(showing).values_list("pk", flat=True))


def delete_files(names):
    """Delete withdrawn renditions; what the storage cannot delete now is
    logged and left behind, named by no page."""
    storage = Image._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except Exception as exc:
            if not storage_failed(exc):
                raise
            logger.warning("Could not delete %s from media storage: %s", name, exc)
