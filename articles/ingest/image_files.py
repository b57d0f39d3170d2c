"""Getting an imported image's bytes: a local file under --media-dir, or (only
with --fetch-images) an http(s) download with a timeout and a size cap that
refuses loopback, private, link-local and other non-public addresses."""

import hashlib
import io
import ipaddress
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from articles.images import validate_image_file

FETCH_TIMEOUT = 10  # seconds


class ImageRefused(Exception):
    pass


def max_bytes():
    return settings.NEWSROOM_MAX_UPLOAD_BYTES


def image_file(href, *, media_dir=None, fetch=False):
    """A validated ContentFile for `href`, or ImageRefused with the reason."""
    scheme = urlsplit(href).scheme.lower()
    if scheme in ("http", "https"):
        if not fetch:
            return None  # recorded by its address; fetched only with --fetch-images
        data = fetch_url(href)
    elif scheme and len(scheme) > 1:
        raise ImageRefused(f"{scheme}: addresses are not fetched (only http and https)")
    else:
        data = read_local(href, media_dir)
    content = ContentFile(data)
    try:
        validate_image_file(content)
    except ValidationError as exc:
        raise ImageRefused(" ".join(exc.messages)) from exc
    digest = hashlib.sha256(data).hexdigest()[:32]
    content.name = f"{digest}{extension(data)}"
    discard_broken_copy(content.name)
    return content


def discard_broken_copy(name):
    """Delete a stored copy of this picture that is not a whole, readable image.

    Pictures are stored under their content hash and a stored copy is reused
    for later records with the same bytes. A write that failed half-way (disk
    full, a killed process) leaves a partial file under that name; it must be
    written again, not reused.
    """
    from articles.models import Image

    field = Image._meta.get_field("file")
    path = field.generate_filename(None, name)
    storage = field.storage
    if not storage.exists(path):
        return
    try:
        with storage.open(path, "rb") as stored:
            validate_image_file(ContentFile(stored.read()))
    except (ValidationError, OSError):
        storage.delete(path)


def extension(data):
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}.get(
            image.format, ".img"
        )


def read_local(href, media_dir):
    if not media_dir:
        raise ImageRefused("a local image path needs --media-dir")
    if "\x00" in href:
        raise ImageRefused("the image path contains a NUL byte")
    root = Path(media_dir).resolve()
    path = (root / href.removeprefix("file://")).resolve()
    if not path.is_relative_to(root):
        raise ImageRefused(f"the image path {href!r} is outside --media-dir")
    if not path.is_file():
        raise ImageRefused(f"no image file at {href!r} in --media-dir")
    if path.stat().st_size > max_bytes():
        raise ImageRefused("the image file is too large")
    return path.read_bytes()


def check_host(url):
    """Refuse URLs whose host resolves to anything but public addresses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ImageRefused(
            f"{parts.scheme or 'this'} address refused (only http and https)"
        )
    if not parts.hostname:
        raise ImageRefused("the image URL has no host")
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or None, type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise ImageRefused(f"cannot resolve {parts.hostname}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise ImageRefused(
                f"{parts.hostname} is a loopback, private or link-local address "
                f"({address})"
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_CheckedRedirects)


def fetch_url(url):
    check_host(url)
    request = urllib.request.Request(url, headers={"User-Agent": "Newsroom importer"})
    try:
        with _opener.open(request, timeout=FETCH_TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes():
                raise ImageRefused("the image is larger than the upload limit")
            data = response.read(max_bytes() + 1)
    except ImageRefused:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ImageRefused(f"could not fetch the image: {exc}") from exc
    if len(data) > max_bytes():
        raise ImageRefused("the image is larger than the upload limit")
    return data
