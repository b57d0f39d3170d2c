"""WSGI entry point: `gunicorn newsroom.wsgi:application`.

Django's application behind the front that gives cached pages again without
Django's request handling (newsroom/front.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

from newsroom.front import PageCacheFront  # noqa: E402 (needs the apps loaded)

application = PageCacheFront(application)
