"""Where uploads, renditions and imported pictures are stored.

A folder (MEDIA_ROOT) unless the environment names an S3-compatible bucket,
either as one URL or with the variables django-storages users know:

    MEDIA_STORAGE_URL=s3://BUCKET[/PREFIX][?endpoint=URL&region=NAME]
    AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_LOCATION

The URL wins over the variables it names. Credentials are never part of it:
django-storages and boto3 read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or
a profile, or the machine's role) themselves. MEDIA_PUBLIC_URL (or
AWS_S3_CUSTOM_DOMAIN, a bare domain served over https) is where readers fetch
the files from: a CDN in front of the bucket. See docs/deploy.md.
"""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "storages.backends.s3.S3Storage"
URL_OPTIONS = {"endpoint": "endpoint_url", "region": "region_name"}

# Stored names never change content: a replaced picture gets a new name, and
# renditions are named after the file they were made of.
CACHE_CONTROL = "public, max-age=86400"

# An unreachable storage fails an upload in seconds, not minutes: the editor
# is told, the probe reports it, and a task is retried later.
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 20
ATTEMPTS = 3


def storage_from_environment(environ):
    """STORAGES["default"] for the environment `environ` (os.environ)."""
    options = {
        "bucket_name": environ.get("AWS_STORAGE_BUCKET_NAME", ""),
        "location": environ.get("AWS_LOCATION", ""),
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
    }
    if environ.get("MEDIA_STORAGE_URL"):
        options.update(parse_storage_url(environ["MEDIA_STORAGE_URL"]))
    if not options["bucket_name"]:
        return FILE_SYSTEM
    if options["endpoint_url"]:
        checked_url("the storage endpoint", options["endpoint_url"])
    options.update(public_url_options(environ))
    return {"BACKEND": S3_BACKEND, "OPTIONS": s3_options(options)}


def parse_storage_url(url):
    """The bucket, prefix, endpoint and region that MEDIA_STORAGE_URL names."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like s3://bucket/prefix?endpoint=URL "
            f"(got a {parts.scheme or 'schemeless'} address)."
        )
    if "@" in parts.netloc:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must not hold credentials: set AWS_ACCESS_KEY_ID "
            "and AWS_SECRET_ACCESS_KEY instead."
        )
    if not parts.netloc:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL names no bucket (s3://BUCKET).")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - set(URL_OPTIONS))
    if unknown:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: unknown option(s) {', '.join(unknown)}; "
            f"known: {', '.join(URL_OPTIONS)}."
        )
    options = {"bucket_name": parts.netloc, "location": parts.path.strip("/")}
    for name, values in query.items():
        options[URL_OPTIONS[name]] = values[-1] or None
    return options


def public_url_options(environ):
    """django-storages' custom domain and protocol for MEDIA_PUBLIC_URL."""
    public_url = environ.get("MEDIA_PUBLIC_URL", "").rstrip("/")
    if public_url:
        parts = checked_url("MEDIA_PUBLIC_URL", public_url)
        return {
            "custom_domain": parts.netloc + parts.path,
            "url_protocol": f"{parts.scheme}:",
        }
    if environ.get("AWS_S3_CUSTOM_DOMAIN"):
        return {"custom_domain": environ["AWS_S3_CUSTOM_DOMAIN"].strip("/")}
    return {}


def checked_url(what, url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{what} must be an http:// or https:// address with a host."
        )
    return parts


def s3_options(options):
    from botocore.config import Config  # only when a bucket is configured

    return {
        **options,
        # Two uploads named alike get two names, as on disk.
        "file_overwrite": False,
        # Published pictures are public: plain, cacheable addresses.
        "querystring_auth": False,
        "object_parameters": {"CacheControl": CACHE_CONTROL},
        "client_config": Config(
            # Most S3-compatible servers answer at one address, not per bucket.
            s3={"addressing_style": "path" if options["endpoint_url"] else None},
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            retries={"max_attempts": ATTEMPTS, "mode": "standard"},
        ),
    }
