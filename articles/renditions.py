"""Responsive renditions of uploaded pictures, made once with Pillow.

Whoever stores a picture (the admin, an import, the demo) records the work in
its transaction, and a task makes the renditions once it commits
(articles/tasks.py): the picture is decoded once, turned upright from its EXIF
orientation, and written at several widths as WebP and JPEG, without EXIF, XMP
or ICC metadata, under `renditions/<digest of the file name>/` in media
storage, followed by a `manifest.json` that lists what was made. Pages only
read the manifest (from the cache, else from storage); they never decode or
resize anything.

A picture that cannot be read gets a manifest saying so, and pages show a
placeholder instead. A picture with no manifest yet (its task has not run, or
it was saved before renditions existed; see `manage.py make_renditions`) is
shown as uploaded.
"""

import hashlib
import io
import json
import logging
import mimetypes
import warnings

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

from .images import ALLOWED_FORMATS
from .structured_data import absolute_url

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280, 1600)
FEED_WIDTH = 1280
JPEG_QUALITY = 80
WEBP_QUALITY = 78
CACHE_SECONDS = 24 * 3600
MISSING_CACHE_SECONDS = 300
MISSING = "missing"


def folder(name):
    return "renditions/" + hashlib.sha256(name.encode()).hexdigest()[:20]


def cache_key(name):
    return "rendition:" + hashlib.sha256(name.encode()).hexdigest()


def target_widths(width):
    """The widths to make for a picture `width` pixels wide (never upscaled)."""
    widest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < widest] + [widest]


def decode(file):
    """The picture in `file`, upright, as RGB; refuses what uploads refuse."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        with PILImage.open(file, formats=ALLOWED_FORMATS) as picture:
            frames = getattr(picture, "n_frames", 1)
            if picture.width * picture.height * frames > (
                settings.NEWSROOM_MAX_IMAGE_PIXELS
            ):
                raise ValueError("too many pixels")
            picture = ImageOps.exif_transpose(picture)
            if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
                flat = PILImage.new("RGB", picture.size, "white")
                flat.paste(picture.convert("RGBA"), mask=picture.convert("RGBA"))
                return flat
            return picture.convert("RGB")


def encode(picture, fmt):
    picture.info = {}  # no EXIF, XMP, ICC or text chunks in what we publish
    buffer = io.BytesIO()
    if fmt == "jpeg":
        picture.save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    else:
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def write(storage, path, data):
    if storage.exists(path):
        storage.delete(path)
    return storage.save(path, ContentFile(data))


def make_renditions(image):
    """Make and store the renditions of `image`; return the manifest."""
    name = image.file.name
    if not name:
        return None
    storage = image.file.storage
    base = folder(name)
    try:
        with storage.open(name, "rb") as file:
            picture = decode(file)
        sizes = []
        for width in target_widths(picture.width):
            height = max(1, round(picture.height * width / picture.width))
            resized = picture.resize((width, height), PILImage.Resampling.LANCZOS)
            entry = {"width": width, "height": height}
            for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
                data = encode(resized, fmt)
                entry[fmt] = write(storage, f"{base}/{width}.{ext}", data)
                entry[f"{fmt}_bytes"] = len(data)
            sizes.append(entry)
        manifest = {"width": picture.width, "height": picture.height, "sizes": sizes}
    except Exception as exc:  # a poisonous picture must not take a page down
        logger.warning("No renditions for %s: %s", name, exc)
        manifest = {"error": str(exc)[:300] or exc.__class__.__name__}
    write(storage, f"{base}/manifest.json", json.dumps(manifest).encode())
    cache.set(cache_key(name), manifest, CACHE_SECONDS)
    cache.delete(picture_key(name))
    return manifest


def manifest_for(image):
    """What was made for `image`: a manifest dict, or None if nothing yet."""
    if not image or not image.file:
        return None
    key = cache_key(image.file.name)
    manifest = cache.get(key)
    if manifest is None:
        path = folder(image.file.name) + "/manifest.json"
        try:
            with image.file.storage.open(path, "rb") as file:
                manifest = json.load(file)
            timeout = CACHE_SECONDS
        except (OSError, ValueError):
            manifest, timeout = MISSING, MISSING_CACHE_SECONDS
        cache.set(key, manifest, timeout)
    return None if manifest == MISSING else manifest


def picture_key(name):
    return cache_key(name) + ":picture"


def picture(image):
    """What an <img>/<picture> needs for `image`, or None for the placeholder.

    Kept in the cache too: building a srcset asks storage for ten URLs, which
    costs more than the rest of a card.
    """
    if not image or not image.file:
        return None
    key = picture_key(image.file.name)
    found = cache.get(key)
    if found is None:
        manifest = manifest_for(image)
        found = picture_from_manifest(image, manifest) or {}
        timeout = CACHE_SECONDS if manifest else MISSING_CACHE_SECONDS
        cache.set(key, found, timeout)
    return found or None


def picture_from_manifest(image, manifest):
    if manifest is None:  # not made yet: the picture as uploaded
        return {
            "src": image.file.url,
            "width": image.width,
            "height": image.height,
        }
    if "error" in manifest or not manifest.get("sizes"):
        return None
    url = image.file.storage.url
    sizes = manifest["sizes"]
    fallback = next((s for s in sizes if s["width"] >= 960), sizes[-1])
    return {
        "src": url(fallback["jpeg"]),
        "jpeg_srcset": ", ".join(f"{url(s['jpeg'])} {s['width']}w" for s in sizes),
        "webp_srcset": ", ".join(f"{url(s['webp'])} {s['width']}w" for s in sizes),
        "width": manifest["width"],
        "height": manifest["height"],
    }


def feed_image(image):
    """The hero picture for a feed enclosure: a JPEG about 1280 pixels wide."""
    if not image or not image.file:
        return None
    manifest = manifest_for(image)
    details = {"alt": image.alt, "credit": image.credit}
    if manifest is None:
        try:
            length = image.file.size
        except OSError:
            return None
        return {
            **details,
            "url": absolute_url(image.file.url),
            "length": length,
            "type": mimetypes.guess_type(image.file.name)[0] or "image/jpeg",
            "width": image.width,
            "height": image.height,
        }
    if "error" in manifest or not manifest.get("sizes"):
        return None
    sizes = manifest["sizes"]
    best = next((s for s in reversed(sizes) if s["width"] <= FEED_WIDTH), sizes[0])
    return {
        **details,
        "url": absolute_url(image.file.storage.url(best["jpeg"])),
        "length": best["jpeg_bytes"],
        "type": "image/jpeg",
        "width": best["width"],
        "height": best["height"],
    }


def made_for(image):
    """Whether the renditions of `image`'s current file were made (storage
    says so, not the cache: a task must not skip a picture on a stale entry)."""
    return bool(image.file) and image.file.storage.exists(
        folder(image.file.name) + "/manifest.json"
    )
