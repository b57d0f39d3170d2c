"""Image checks for uploads and imports (Pillow).

Only JPEG, PNG, GIF and WebP are accepted, judged by their bytes, never by the
file name; SVG and everything else is refused. The pixel cap is checked from
the header before anything is decoded, then the whole image is decoded once so
a truncated file is refused at upload rather than breaking a page later.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage

ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


def validate_image_file(file):
    """Raise ValidationError unless `file` is a safe, complete, allowed image."""
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError("The image file is empty.")
    if size and size > settings.NEWSROOM_MAX_UPLOAD_BYTES:
        limit = settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(f"The image is larger than {limit} MB.")
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
                image.load()
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
