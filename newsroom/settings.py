"""Newsroom settings: one module, every deployment knob read from the environment.

See docs/deploy.md for what each variable does. Without any of them the site
runs for local development on an SQLite file in the project folder.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy
from django_prose_editor.config import html_tags

from newsroom.caches import caches_from_environment
from newsroom.media_storage import storage_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent

# Security
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-only")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin
]  # fmt: skip

# HTTPS: on in production (NEWSROOM_HTTPS=1); off for the local demo on http://.
HTTPS = os.environ.get("NEWSROOM_HTTPS") == "1"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = (
    int(os.environ.get("NEWSROOM_HSTS_SECONDS", 31_536_000)) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if os.environ.get("NEWSROOM_BEHIND_PROXY") == "1":
    # Only behind a proxy that sets X-Forwarded-Proto itself (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Admin login throttle (django-axes; see newsroom/logins.py). Behind a reverse
# proxy or an edge cache, NEWSROOM_TRUSTED_PROXIES says how many hops append to
# X-Forwarded-For; the client is the address the outermost trusted proxy saw,
# whatever a client writes in that header itself.
NEWSROOM_LOGIN_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", 5))
NEWSROOM_LOGIN_CLIENT_FACTOR = 4
NEWSROOM_LOGIN_LOCKOUT_SECONDS = int(
    os.environ.get("NEWSROOM_LOGIN_LOCKOUT_SECONDS", 15 * 60)
)
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", 0))
AXES_HANDLER = "newsroom.logins.ClientLimitsHandler"
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_FAILURE_LIMIT = NEWSROOM_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=NEWSROOM_LOGIN_LOCKOUT_SECONDS)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.logins.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password"]
# django-ipware counts the proxies between the client and the last one (whose
# address is REMOTE_ADDR), and takes a longer, client-written chain as a minimum.
IPWARE_STRICT = False
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = max(NEWSROOM_TRUSTED_PROXIES - 1, 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    if NEWSROOM_TRUSTED_PROXIES
    else ("REMOTE_ADDR",)
)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Site
SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom")
SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Applications
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "axes",
    # Tasks: Django's own on Django 6; the backport's app on 5.2 (its checks
    # and signals). The database backend's table exists whichever backend runs.
    *(["django_tasks"] if django.VERSION < (6, 0) else []),
    "django_tasks_db",
    "articles",
    "articles.editorial",
    "articles.ingest",
    "articles.media",
    "articles.delivery",
    "articles.newsletters",
    "articles.webhooks",
]

MIDDLEWARE = [
    # /healthz and /readyz, before the host check, the HTTPS redirect and the
    # page cache (newsroom/health.py); probes are not logged per request.
    "newsroom.health.HealthProbeMiddleware",
    # A request id and one log line per request (newsroom/request_log.py).
    "newsroom.request_log.RequestLogMiddleware",
    # The HTTPS redirect and HSTS, for cached pages too (they depend on the
    # request).
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # s-maxage and stale-if-error for an edge cache (articles/delivery/edge.py).
    "articles.delivery.edge.EdgeCacheControlMiddleware",
    # Cached public pages are answered here, with the headers above and
    # without the work below (see articles/delivery/page_cache.py), and given
    # again by the WSGI front (newsroom/front.py) as they left this stack: a
    # middleware above that adds a header changing with time or with more of
    # the request than the front keys answers by withdraws the offer
    # (page_cache.withdraw, as edge.py does).
    "articles.delivery.page_cache.PageCacheMiddleware",
    # The Content-Security-Policy and X-Frame-Options of a page: stored with
    # it in the page cache, so a cached page does not pass here again.
    "newsroom.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Surrogate keys, set before the page cache stores a page.
    "articles.delivery.edge.SurrogateKeyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (psycopg 3) with DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers read while an import writes; IMMEDIATE takes the write
    # lock up front so a writer waits (busy timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # The ORM binds parameters on the client: its statements are never
    # prepared. A statement bound on the server that asks to be is prepared
    # once per connection (the related links' ranking, articles/prepared.py:
    # it cost more to plan than to run); Django's backend turns that off
    # (None) unless set here. A pooler in transaction mode needs to keep
    # prepared statements (PgBouncer 1.21+: max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches (newsroom/caches.py): the one every process shares, chosen from the
# environment, and each process's memory of the pages it served.
CACHES = caches_from_environment(os.environ, DATABASES["default"])

# Public pages are cached server-side (articles/delivery/page_cache.py) and
# retired on every write, in the cache every process shares.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", 300))

# How often an open live story's page asks for new entries (docs/live-updates.md).
NEWSROOM_LIVE_POLL_SECONDS = int(os.environ.get("NEWSROOM_LIVE_POLL_SECONDS", 20))

# An edge cache in front of the app servers (docs/deploy.md, Edge cache): the
# headers that carry each public page's surrogate keys (xkey for Varnish,
# Surrogate-Key for Fastly, Cache-Tag for Cloudflare), how long the edge may
# keep a page (it is purged on every change) and serve it stale while the site
# fails, and the caches a change is purged from.
NEWSROOM_SURROGATE_KEY_HEADERS = [
    header.strip()
    for header in os.environ.get("NEWSROOM_SURROGATE_KEY_HEADERS", "").split(",")
    if header.strip()
]
NEWSROOM_EDGE_MAX_AGE = int(os.environ.get("NEWSROOM_EDGE_MAX_AGE", 86_400))
NEWSROOM_EDGE_STALE_IF_ERROR = int(
    os.environ.get("NEWSROOM_EDGE_STALE_IF_ERROR", 86_400)
)
# A live story's endpoint (docs/live-updates.md) is purged on every entry too;
# a short edge lifetime bounds a purge that raced a render.
NEWSROOM_EDGE_LIVE_MAX_AGE = int(os.environ.get("NEWSROOM_EDGE_LIVE_MAX_AGE", 15))
NEWSROOM_EDGE_PURGE = []
if _varnish := os.environ.get("NEWSROOM_VARNISH_PURGE_URLS"):
    NEWSROOM_EDGE_PURGE.append(
        {"KIND": "varnish", "URLS": [u for u in _varnish.split(",") if u]}
    )
if os.environ.get("NEWSROOM_FASTLY_SERVICE_ID"):
    NEWSROOM_EDGE_PURGE.append(
        {
            "KIND": "fastly",
            "SERVICE_ID": os.environ["NEWSROOM_FASTLY_SERVICE_ID"],
            "API_TOKEN": os.environ.get("NEWSROOM_FASTLY_API_TOKEN", ""),
        }
    )
if os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID"):
    NEWSROOM_EDGE_PURGE.append(
        {
            "KIND": "cloudflare",
            "ZONE_ID": os.environ["NEWSROOM_CLOUDFLARE_ZONE_ID"],
            "API_TOKEN": os.environ.get("NEWSROOM_CLOUDFLARE_API_TOKEN", ""),
        }
    )

# Background tasks (docs/tasks.md): the database backend and its worker
# (`manage.py db_worker`) unless TASKS_BACKEND=rq puts them on Redis
# (TASKS_REDIS_URL, else REDIS_URL) for RQ workers on any machine;
# TASKS_BACKEND=immediate runs each task in the process that enqueues it.
_tasks_backend = os.environ.get("TASKS_BACKEND", "database")
_tasks = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": f"{_tasks}.backends.immediate.ImmediateBackend",
}
if _tasks_backend not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={_tasks_backend!r}: choose one of {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks_backend]}}
if _tasks_backend == "rq":
    _tasks_redis_url = os.environ.get("TASKS_REDIS_URL") or os.environ.get("REDIS_URL")
    if not _tasks_redis_url:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs TASKS_REDIS_URL or REDIS_URL."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A task may run long (every missing search vector after a large import).
    # RQ runs jobs in order, so what readers wait for (edge purges) has a
    # queue of its own, which workers take from first (docs/tasks.md).
    TASKS["default"]["QUEUES"] = ["urgent", "default"]
    RQ_QUEUES = {
        name: {"URL": _tasks_redis_url, "DEFAULT_TIMEOUT": 3600}
        for name in TASKS["default"]["QUEUES"]
    }

# Passwords
_validators = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_validators}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_validators}.MinimumLengthValidator"},
    {"NAME": f"{_validators}.CommonPasswordValidator"},
    {"NAME": f"{_validators}.NumericPasswordValidator"},
]

# Wire sources (articles/ingest/wires.py): how long a poll may wait, and
# whether a source may live on a private network (an agency's server on the
# newsroom's own network); off by default, as for every fetch.
NEWSROOM_WIRE_TIMEOUT = float(os.environ.get("NEWSROOM_WIRE_TIMEOUT", 20))
NEWSROOM_WIRE_ALLOW_PRIVATE = os.environ.get("NEWSROOM_WIRE_ALLOW_PRIVATE") == "1"

# Webhooks (articles/webhooks/): deliveries to private or loopback addresses
# are refused unless allowed (a partner on the newsroom's own network).
NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = (
    os.environ.get("NEWSROOM_WEBHOOKS_ALLOW_PRIVATE") == "1"
)

# Email (newsletters, confirmations): SMTP by default, from the environment.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"{SITE_NAME} <newsletters@localhost>"
)

# Internationalisation: dates without a zone are read in TIME_ZONE.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files and media
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = os.environ.get("NEWSROOM_SERVE_MEDIA", "1") == "1"
STORAGES = {
    # Media storage: see the block below.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Hashed, compressed names need `collectstatic` first (production).
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if os.environ.get("DJANGO_STATIC_MANIFEST") == "1"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The body editor's own nodes: an embed pasted as a URL and a picture from the
# library (static/admin/newsroom/body-media.js; what they store, articles/embeds.py).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("admin/newsroom/body-media.js")],
        "extensions": {
            "Embed": html_tags(
                ["figure", "a"], {"figure": ["data-embed-provider", "data-embed-url"]}
            ),
            "Picture": html_tags(["figure", "img", "figcaption", "small"]),
        },
    }
]

# Media storage (newsroom/media_storage.py, docs/deploy.md): an S3-compatible
# bucket through django-storages when MEDIA_STORAGE_URL=s3://bucket/prefix?...
# or AWS_STORAGE_BUCKET_NAME names one, served from MEDIA_PUBLIC_URL (a CDN)
# when set; else the MEDIA_ROOT folder. Credentials: the usual AWS variables.
STORAGES["default"] = storage_from_environment(os.environ)

# Tags: "Donald Trump" and "donald trump" are one tag (see articles.Tag.key).
TAGGIT_CASE_INSENSITIVE = True

# Uploads: images over these limits are refused (see articles/images.py).
NEWSROOM_MAX_UPLOAD_BYTES = int(
    os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
)
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 50_000_000))

# Imports: a record over these sizes (in characters) is refused while the file is
# read (see articles/ingest/limits.py).
NEWSROOM_IMPORT_MAX_BODY = int(
    os.environ.get("NEWSROOM_IMPORT_MAX_BODY", 2 * 1024 * 1024)
)
NEWSROOM_IMPORT_MAX_FIELD = int(os.environ.get("NEWSROOM_IMPORT_MAX_FIELD", 64 * 1024))

# Health (newsroom/health.py): /readyz fails when the scheduler or the workers
# have not reported for this long, or a story went live this long ago with its
# follow-up work still undone (docs/deploy.md).
NEWSROOM_HEARTBEAT_MAX_AGE = int(os.environ.get("NEWSROOM_HEARTBEAT_MAX_AGE", 300))
NEWSROOM_OVERDUE_AFTER = int(os.environ.get("NEWSROOM_OVERDUE_AFTER", 600))

# The editors' desk (articles/editorial/desk.py) lists drafts untouched this long.
NEWSROOM_STALE_DRAFT_DAYS = int(os.environ.get("NEWSROOM_STALE_DRAFT_DAYS", 14))
# Autosave (articles/editorial/autosave.py): how often the article form sends
# its copy, and the largest copy accepted.
NEWSROOM_AUTOSAVE_SECONDS = int(os.environ.get("NEWSROOM_AUTOSAVE_SECONDS", 20))
NEWSROOM_AUTOSAVE_MAX_BYTES = int(
    os.environ.get("NEWSROOM_AUTOSAVE_MAX_BYTES", 1024 * 1024)
)

# Logging: to stderr, where the process manager collects it; with
# LOG_FORMAT=json, one JSON object a line and one line per request, each with
# its request id. An unreachable Redis is reported when it starts, then once a
# minute, not per call.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: choose text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            # The fields named here, the timestamp, and a request's extras.
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "timestamp": True,
        },
    },
    "filters": {
        "request_id": {"()": "newsroom.request_log.RequestIdFilter"},
        "cache_outage": {
            "()": "newsroom.log_filters.OutageFilter",
            "message": "Cache unavailable, pages are served from the database",
        },
        "readiness_outage": {
            "()": "newsroom.log_filters.OutageFilter",
            "message": "A readiness check is failing (see /readyz)",
        },
        "queue_outage": {
            "()": "newsroom.log_filters.OutageFilter",
            "message": "Task queue unavailable, the scheduler will enqueue the "
            "work again",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "loggers": {
        # The per-request line: only in JSON (a proxy or gunicorn already
        # writes an access log in text).
        "newsroom.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        "django_redis.cache": {"filters": ["cache_outage"]},
        "articles.tasks.queue": {"filters": ["queue_outage"]},
        # A failing probe is asked every few seconds: one line, then one a minute.
        "health_check": {"filters": ["readiness_outage"]},
        "health_check.checks": {"filters": ["readiness_outage"]},
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}
