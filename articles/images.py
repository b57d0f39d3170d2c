"""Image checks for uploads and imports (Pillow).

Only JPEG, PNG, GIF and WebP are accepted, judged by their bytes, never by the
file name; SVG and everything else is refused. The pixel cap (width × height ×
frames) is checked from the header before anything is decoded, then every frame
is decoded once so a truncated file is refused at upload rather than breaking a
page later.

What is stored is never the uploaded bytes: `reencoded` writes the picture
afresh in its own format, turned upright from its EXIF orientation, without
EXIF (GPS), XMP, ICC, comments or text chunks, and without anything appended
after the image data (a PNG followed by HTML). `CleanImageField` does this
whenever a new file is written (admin uploads, imports, the demo).
"""

import io
import posixpath
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


def validate_image_file(file):
    """Raise ValidationError unless `file` is a safe, complete, allowed image.

    A file already in storage is not judged again: it was checked and
    re-encoded when it was written. Editing a picture's words must not read
    the stored picture back (Django has closed it after reading its size).
    """
    if isinstance(file, FieldFile) and file._committed:
        return
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError("The image file is empty.")
    if size and size > settings.NEWSROOM_MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.NEWSROOM_MAX_UPLOAD_BYTES)
        raise ValidationError(f"The image is larger than {limit}.")
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file, formats=ALLOWED_FORMATS) as image:
                frames = getattr(image, "n_frames", 1)
                pixels = image.width * image.height * frames
                if pixels > settings.NEWSROOM_MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        f"The image is too large ({image.width}×{image.height} pixels"
                        f"{f', {frames} frames' if frames > 1 else ''})."
                    )
                for _ in ImageSequence.Iterator(image):
                    image.load()  # every frame, so a truncated one is refused
    except ValidationError:
        raise
    except PILImage.UnidentifiedImageError as exc:
        raise ValidationError(
            "This is not a JPEG, PNG, GIF or WebP image (SVG is not accepted)."
        ) from exc
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning) as exc:  # fmt: skip
        raise ValidationError(f"The image could not be read: {exc}") from exc
    finally:
        file.seek(0)


EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
JPEG_QUALITY = 90  # only when the source gives no quantisation tables to keep
WEBP_QUALITY = 90


def reencoded(file, name=None):
    """The picture in `file` written afresh as a ContentFile of the same format,
    named like `name` (else the file's own name) with the right extension.

    Turned upright from its EXIF orientation; EXIF, XMP, ICC profiles, comments
    and text chunks are dropped, and so is anything after the image data.
    Animated GIF and WebP keep their frames, durations and loop count.
    Raises ValidationError for anything `validate_image_file` refuses.
    """
    validate_image_file(file)  # size first, before anything is read
    file.seek(0)
    data = file.read()
    file.seek(0)
    source = ContentFile(data)
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        with PILImage.open(source, formats=ALLOWED_FORMATS) as image:
            fmt = image.format
            if getattr(image, "n_frames", 1) > 1:
                _save_animation(image, fmt, out)
            else:
                _save_still(image, fmt, out, lossless=b"VP8L" in data)
    name = name or getattr(file, "name", None) or "image"
    stem = posixpath.splitext(posixpath.basename(name))[0] or "image"
    return ContentFile(out.getvalue(), name=stem + EXTENSIONS[fmt])


def _bare(picture, keep=("transparency",)):
    """`picture` with no metadata left for a saver to copy."""
    picture.info = {k: v for k, v in picture.info.items() if k in keep}
    picture._exif = None
    return picture


def _save_still(image, fmt, out, lossless=False):
    picture = _bare(ImageOps.exif_transpose(image))
    if fmt == "JPEG":
        options = {"quality": JPEG_QUALITY, "optimize": True}
        if getattr(image, "quantization", None):
            options = {"qtables": image.quantization, "optimize": True}
        picture.save(out, "JPEG", **options)
    elif fmt == "WEBP":
        if lossless:
            picture.save(out, "WEBP", lossless=True)
        else:
            picture.save(out, "WEBP", quality=WEBP_QUALITY)
    else:
        picture.save(out, fmt)


def _save_animation(image, fmt, out):
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration") or 100)
        frames.append(_bare(frame.copy()))
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    options["loop"] = image.info.get("loop", 0)
    if fmt == "WEBP":
        options["quality"] = WEBP_QUALITY
    frames[0].save(out, fmt, **options)


class CleanImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        content = reencoded(content, name)
        name = posixpath.join(posixpath.dirname(name), content.name)
        super().save(name, content, save)


class CheckedImageFormField(forms.ImageField):
    """A form ImageField that judges the file by `validate_image_file` only.

    Django's own check opens the upload with every Pillow plugin (no format
    allowlist) and reports a pixel bomb as a generic "not an image"."""

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is not None:
            validate_image_file(file)
        return file


class CleanImageField(models.ImageField):
    """An ImageField that stores every new file re-encoded (see `reencoded`).

    It deconstructs as a plain ImageField: storage behaviour, not schema."""

    attr_class = CleanImageFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
