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


def write_pages(paths, answer, description):
    """Ask for each of `paths` twice (the second time from what the first
    kept) with Django's test client and write {path: [answer, answer]} to the
    file named on the command line (`answer(response)`: what to compare)."""
    import argparse
    import json
    from pathlib import Path

    from django.test import Client

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out")
    args = parser.parse_args()
    client = Client()
    pages = {path: [answer(client.get(path)) for _ in range(2)] for path in paths()}
    Path(args.out).write_text(json.dumps(pages, indent=1, sort_keys=True))
    print(json.dumps({"pages": len(pages)}))
