"""Pages retired by what they show, and rendered again on write.

Core's write path says which articles a write changed and what their pages
showed before it (the records of a purge, articles/purges.py); `retire` turns
them into surrogate keys (surrogate_keys.py) and retires, in the shared page
cache, exactly the pages under those keys: an unrelated article's page stays
cached. The write calls it in its transaction and again once it commits.

The purge task (tasks.py) then renders the pages readers will ask for first,
the changed articles' pages and the first page of the listings they are on
(home, sections, tags, authors), through the whole middleware stack as a
reader's request, so the page cache stores them itself, in the entry format a
hit reads. At most `LIMIT` pages per task, and none for a task about more
than `LIMIT` articles (an import's batch, or the related links it refreshed:
the import retires every page anyway, and may run its tasks in its own
process); those pages are rendered by their first readers.
Nothing new is shown by rendering: a draft is a 404 and a preview is never
stored, as for any reader, and a scheduled story is rendered by the task due at
its time, not before.
"""

import io
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse

from articles.freshness import content_changed
from articles.models import Article, published_condition
from articles.purges import shown

from .page_cache import retire_keys
from .surrogate_keys import keys_to_purge

LIMIT = 40  # pages rendered per purge task


def retire(records, keys=None):
    """Retire the cached pages that showed or show what `records` name ((article
    id or None, what its pages showed before) pairs): the surrogate `keys`,
    else those `keys_to_purge` names (four queries)."""
    if settings.NEWSROOM_PAGE_CACHE_SECONDS < 1:
        return
    keys = set(keys if keys is not None else sum(keys_to_purge(records), []))
    if "nav" in keys:
        content_changed()  # every HTML page shows the navigation
    elif any(article_id is not None for article_id, _ in records):
        keys.add("page")  # public pages nobody named (search) may list them
    retire_keys(keys - {"nav"})


def paths_to_render(records):
    """The addresses of the pages worth rendering for `records`: the live
    articles' pages, then the first page of their listings; at most LIMIT,
    and none for more than LIMIT articles (an import's batch)."""
    ids = {article_id for article_id, _ in records if article_id is not None}
    slugs = {slug for _, was in records for slug in was.get("articles", ())}
    if len(ids) + len(slugs) > LIMIT:
        return []
    now = shown(ids) if ids else {}
    articles = Article.objects.filter(published_condition()).only(
        "slug", "published_at"
    )
    paths = [a.get_absolute_url() for a in articles.filter(pk__in=now)]
    if slugs:
        paths += [a.get_absolute_url() for a in articles.filter(slug__in=slugs)]
    # Listings that show them now, or showed them before (a withdrawal).
    shows = [*now.values(), *(was for _, was in records if was.get("article"))]
    if shows:
        paths.append(reverse("articles:home"))
    for name, field in (("section", "section"), ("author", "authors"), ("tag", "tags")):
        for was in shows:
            values = [was.get(field)] if field == "section" else was.get(field, ())
            paths += [reverse(f"articles:{name}", args=[v]) for v in values if v]
    return list(dict.fromkeys(paths))[:LIMIT]


def render(paths):
    """Ask for each of `paths` as a reader would; returns how many the page
    cache stored (answered 200)."""
    if settings.NEWSROOM_PAGE_CACHE_SECONDS < 1 or not paths:
        return 0
    handler = Reader()
    return sum(handler.get(path).status_code == 200 for path in paths)


class Reader(BaseHandler):
    """The site's middleware stack and views, asked as an anonymous reader
    would through SITE_URL; no request signals (the worker's database
    connection is its own to close)."""

    def __init__(self):
        super().__init__()
        self.load_middleware()
        site = urlsplit(settings.SITE_URL)
        self.environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "SERVER_NAME": site.hostname or "localhost",
            "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
            "HTTP_HOST": site.netloc,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": site.scheme or "http",
        }
        proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if proxy_header and site.scheme == "https":
            self.environ[proxy_header[0]] = proxy_header[1]

    def get(self, path):
        # As a WSGI server passes it: unquoted, bytes as latin-1.
        path_info = unquote_to_bytes(path).decode("latin-1")
        environ = {**self.environ, "PATH_INFO": path_info, "wsgi.input": io.BytesIO()}
        return self.get_response(WSGIRequest(environ))
