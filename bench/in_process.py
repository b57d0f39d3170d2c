"""Django set up for a benchmark script that renders pages in its own process
(render.py, article_pages.py, search_plans.py): the project's settings, the
page cache off unless the caller says otherwise, the test client's host
allowed. Imported first, as `in_process` (the script's own folder is on the
path when it is run by path), before anything of Django's.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("NEWSROOM_PAGE_CACHE_SECONDS", "0")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()
