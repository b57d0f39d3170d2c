"""Error pages for readers: a static 503 while the database is unreachable.

Django calls `server_error` for any uncaught exception (with DEBUG off) and has
already logged it. If the database could not be reached, readers get a static
"back soon" page with a 503 and Retry-After, so caches and crawlers retry
instead of storing an error; the next request opens a fresh connection, so the
site recovers by itself once the database is back.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request, template_name)
