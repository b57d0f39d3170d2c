"""The caches, chosen from the environment.

The default cache is the one every process shares (app servers, task workers,
the scheduler): a worker's write retires the pages the app servers serve
(articles/freshness.py). Redis if CACHE_URL / REDIS_URL names one; else, on
the embedded SQLite default, files beside the database (SQLite keeps every
process on one machine, so a folder is shared by all of them, and a hit is a
file read instead of a query: docs/benchmarks.md); else a table in the
database. The `pages` cache is each process's memory of the pages it served,
checked against the shared content generation on every hit (page_cache.py),
and of the answers the WSGI front gives again (newsroom/front.py); the
`cards` cache its memory of the story cards it rendered, keyed by each
article's version and the content generation (articles/card_cache.py).
"""

PAGES = {
    # Django's local-memory cache without pickling (a hit copies no page).
    "BACKEND": "articles.delivery.memory.PageMemory",
    "LOCATION": "newsroom-pages",
    # Pages are 10-30 kB: some 20-60 MB a process, enough for the day's
    # stories, the listings and a long tail of older stories readers reach
    # from search and social links; a page not here is one more shared read.
    # Each page's answer for the front is kept beside it, with the same bytes:
    # two entries a page.
    "OPTIONS": {"MAX_ENTRIES": 4_000},
}


CARDS = {
    # The same memory without pickling: a card is a string nothing changes.
    "BACKEND": "articles.delivery.memory.PageMemory",
    "LOCATION": "newsroom-cards",
    # About 1 kB a card: the home page shows some sixty, a listing twenty; a
    # search result's card is kept too, so room for a day of varied searches
    # besides the cards of the pages readers come back to (about 10 MB).
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}


def shared_cache(environ, database):
    url = environ.get("CACHE_URL") or environ.get("REDIS_URL")
    if url:
        return {
            # django-redis, because it can treat an unreachable Redis as a miss:
            # pages are then rendered from the database instead of failing.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    on_sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    if on_sqlite and database["NAME"] not in ("", ":memory:"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": environ.get("NEWSROOM_CACHE_DIR", f"{database['NAME']}-cache"),
            # Every store lists the folder to cull it (about 1 ms a thousand
            # files). A page takes two entries: itself and its key's generation.
            "OPTIONS": {"MAX_ENTRIES": 4_000},
        }
    return {
        # Made by `migrate` (a delivery migration); one query per cache read.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "newsroom_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }


def caches_from_environment(environ, database):
    return {
        "default": shared_cache(environ, database),
        "pages": dict(PAGES),
        "cards": dict(CARDS),
    }
