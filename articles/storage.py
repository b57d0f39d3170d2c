"""When media storage fails, rather than one file.

Uploads, renditions and imported pictures live in the media storage: a folder,
or an S3-compatible bucket (newsroom/media_storage.py). A bucket can be
unreachable, refuse the credentials or be gone; a disk can be full. Such a
failure says nothing about the picture: the editor is told and nothing is
saved, a task leaves its work on record to be retried instead of marking the
picture unreadable, and an import stops with a message instead of a traceback.
A file that is missing or unreadable is another matter (a placeholder).
"""

import errno
import logging

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointUnreachable
from django.contrib import messages
from django.http import HttpResponseRedirect

logger = logging.getLogger(__name__)

# What a full, read-only or inaccessible disk raises (a missing file is not it).
DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
MISSING_OBJECT = {"404", "NoSuchKey", "NotFound"}

EDITOR_MESSAGE = (
    "The file could not be stored: the media storage {failed}. Nothing was "
    "saved. Please try again in a few minutes; if it persists, tell the site's "
    "operators."
)


def storage_failed(error):
    """Is `error` the storage failing, rather than a problem with one file?"""
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code") not in MISSING_OBJECT
    if isinstance(error, (BotoCoreError, Boto3Error)):
        return True
    return isinstance(error, OSError) and error.errno in DISK_ERRNOS


def storage_unreachable(error):
    """Could the storage not be reached at all (rather than refusing)?"""
    while error is not None:
        if isinstance(error, (EndpointUnreachable, HTTPClientError, ConnectionError)):
            return True
        error = error.__cause__ or error.__context__
    return False


class ReportsStorageFailures:
    """An admin whose forms store files: when the storage fails while saving,
    the transaction is rolled back and the editor is sent back to the form with
    a message, rather than shown a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Exception as error:
            if request.method != "POST" or not storage_failed(error):
                raise
            logger.warning("Media storage failed while saving: %s", error)
            failed = "is not reachable" if storage_unreachable(error) else "refused it"
            message = EDITOR_MESSAGE.format(failed=failed)
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
