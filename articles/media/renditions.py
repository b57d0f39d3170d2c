"""Responsive renditions of uploaded pictures, made once with Pillow.

Whoever stores a picture (the admin, an import) records the work in its
transaction, and a task makes the renditions once it commits (tasks.py): the
picture is decoded once, turned upright from its EXIF orientation, and written
at several widths as WebP and JPEG, without EXIF, XMP or ICC metadata, under
`renditions/<digest of the file name>/` in media storage. What was made
is recorded on the Image row (`rendition_manifest`), which is all that pages
read (articles/models/image.py): they never decode or resize anything.

Where a rendition is cut to a shape (the social picture, 1200 by 630 for
link previews), the cut keeps the picture's focal point (`crop_box`); pages
that crop in the browser (cards, the lead) place it with `object-position`.
Changing the focal point makes the renditions again (`is_current`).

A picture that cannot be read gets a manifest saying so, and pages show a
placeholder instead; a storage that fails (unreachable, refusing) fails the
task instead, whose work stays on record to be done again (articles/storage.py).
A picture with no manifest yet (saved before renditions existed, or its task
has not run yet; see `manage.py make_renditions`) is shown as uploaded.
"""

import hashlib
import io
import logging
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

from articles.freshness import pages_changed
from articles.images import ALLOWED_FORMATS
from articles.models import Image
from articles.storage import storage_failed

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280, 1600)
JPEG_QUALITY = 80
WEBP_QUALITY = 78


SOCIAL_SIZE = (1200, 630)


def crop_box(size, aspect, focus):
    """The largest box of `aspect` (width / height) inside `size` whose centre
    is as close to `focus` ((x, y) fractions) as the edges allow."""
    width, height = size
    box_w, box_h = width, height
    if width / height > aspect:
        box_w = max(1, round(height * aspect))
    else:
        box_h = max(1, round(width / aspect))
    left = min(max(round(focus[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focus[1] * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def focus_of(image):
    return [image.focal_x, image.focal_y]


def is_current(image):
    """Are the renditions of `image` made of its file and for its focal point?"""
    manifest = image.made_renditions()
    return manifest is not None and manifest.get("focus", [0.5, 0.5]) == focus_of(image)


def social(picture, base, storage, focus):
    """The link-preview picture: 1200 by 630 (or less), cut around `focus`."""
    wide, high = SOCIAL_SIZE
    cut = picture.crop(crop_box(picture.size, wide / high, focus))
    if cut.width > wide:
        cut = cut.resize((wide, round(cut.height * wide / cut.width)), PILImage.LANCZOS)
    data = encode(cut, "jpeg")
    return {
        "width": cut.width,
        "height": cut.height,
        "jpeg": write(storage, f"{base}/social.jpg", data),
        "jpeg_bytes": len(data),
    }


def folder(name):
    return "renditions/" + hashlib.sha256(name.encode()).hexdigest()[:20]


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
    """Make and store the renditions of `image`, record them on its row and
    return the manifest."""
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
        focus = focus_of(image)
        manifest = {
            "width": picture.width,
            "height": picture.height,
            "sizes": sizes,
            "social": social(picture, base, storage, focus),
            "focus": focus,
        }
    except Exception as exc:  # a poisonous picture must not take a page down
        if storage_failed(exc):
            raise  # not the picture's fault: done again later
        logger.warning("No renditions for %s: %s", name, exc)
        manifest = {"error": str(exc)[:300] or exc.__class__.__name__}
    manifest["file"] = name
    # An update, not a save: only this field changes, whatever the form held.
    Image.objects.filter(pk=image.pk, file=name).update(rendition_manifest=manifest)
    image.rendition_manifest = manifest
    pages_changed()  # pages showed the picture as uploaded
    return manifest


def stored_files(images):
    """What `images` keep in storage: each file's name and its renditions'."""
    files = {}
    for image in images:
        manifest = image.made_renditions() or {}
        renditions = [
            s[fmt] for s in manifest.get("sizes", ()) for fmt in ("webp", "jpeg")
        ]
        if "social" in manifest:
            renditions.append(manifest["social"]["jpeg"])
        files.setdefault(image.file.name, set()).update(renditions)
    files.pop("", None)
    return files


def discard(files):
    """Delete the files of `stored_files` that no picture uses any more.

    A file can be shared: an import stores a picture once for every record
    that names the same bytes. What cannot be deleted now (the storage fails)
    is logged and left behind, unseen: no page names it.
    """
    storage = Image._meta.get_field("file").storage
    in_use = set(Image.objects.filter(file__in=files).values_list("file", flat=True))
    for name, renditions in files.items():
        if name in in_use:
            continue
        try:
            for stored_name in (*sorted(renditions), name):
                storage.delete(stored_name)
        except Exception as exc:
            if not storage_failed(exc):
                raise
            logger.warning("Could not delete %s from media storage: %s", name, exc)
