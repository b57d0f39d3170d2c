"""Pictures: a file with its alt text, caption, credit and rights, and how
pages show it.

The media app makes responsive renditions of each file and records what it
made on the row (`rendition_manifest`); pages, cards and feeds read only that,
so showing a picture costs no storage or cache look-up and never decodes or
resizes anything. A picture whose rights have expired is shown nowhere from
that moment (`is_shown`), and a task withdraws its renditions (docs/images.md).
"""

import mimetypes

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ..images import CleanImageField, validate_image_file
from ..storage import storage_failed
from ..structured_data import absolute_url
from ..text import LineField, LineTextField

# The rendition a page's <img> falls back to, and the one feeds enclose.
FALLBACK_WIDTH = 960
FEED_WIDTH = 1280

# A focal point is a fraction of the width and of the height, from the top left.
FOCAL_RANGE = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Image(models.Model):
    # Every new file is stored re-encoded: upright, no EXIF/GPS, nothing appended.
    file = CleanImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
    )
    alt = LineField(
        "alt text",
        max_length=300,
        help_text="Describes the picture for readers who cannot see it.",
    )
    caption = LineTextField(blank=True)
    credit = LineField(
        max_length=200,
        blank=True,
        help_text="Who made the picture, as readers see it: “Jane Doe/Reuters”.",
    )
    source = LineField(
        max_length=200,
        blank=True,
        help_text="Who supplied it: an agency, a photographer, a reader.",
    )
    usage_terms = LineTextField(
        "licence and usage terms",
        blank=True,
        help_text="What the licence allows: “Editorial use only”, “CC BY 4.0”.",
    )
    rights_expire_at = models.DateTimeField(
        "rights expire",
        null=True,
        blank=True,
        db_index=True,
        help_text="From this time the picture is shown nowhere and stories "
        "showing it cannot be published. Empty: the rights do not expire.",
    )
    focal_x = models.FloatField(
        "focal point, across",
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="0 is the left edge, 1 the right: crops keep this point.",
    )
    focal_y = models.FloatField(
        "focal point, down",
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="0 is the top edge, 1 the bottom.",
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    source_uri = LineField(max_length=500, blank=True, editable=False)
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Renditions a source offered.",
    )
    rendition_manifest = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The renditions made of the file: its name, the picture's "
        "size and each rendition's width, height, file names and bytes; or "
        "why none could be made. Empty until they are made.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.alt or self.file.name

    def clean(self):
        if not self.alt.strip():
            raise ValidationError({"alt": "An image needs alt text."})

    @property
    def rights_expired(self):
        """Have the rights to show this picture run out?"""
        expiry = self.rights_expire_at
        return expiry is not None and expiry <= timezone.now()

    @property
    def is_shown(self):
        """May pages, feeds and exports show this picture now?"""
        return bool(self.file) and not self.rights_expired

    @property
    def focal_position(self):
        """The focal point as CSS `object-position`: "50% 30%"."""
        return f"{self.focal_x * 100:g}% {self.focal_y * 100:g}%"

    def made_renditions(self):
        """The manifest of the renditions made of the current file, or None.

        A manifest made of an earlier file (the picture was replaced), or
        emptied when the rights expired (`withdrawn`), is none.
        """
        manifest = self.rendition_manifest
        if (
            self.file
            and manifest
            and manifest.get("file") == self.file.name
            and not manifest.get("withdrawn")
        ):
            return manifest
        return None

    def picture(self):
        """What an <img>/<picture> needs, or None for the placeholder.

        The file as uploaded until its renditions are made; None when they
        could not be made (the file is unreadable or gone), or when the
        rights have expired.
        """
        if not self.is_shown:
            return None
        manifest = self.made_renditions()
        if manifest is None:
            return {
                "src": self.file.url,
                "width": self.width,
                "height": self.height,
                "position": self.focal_position,
            }
        sizes = manifest.get("sizes")
        if not sizes:
            return None
        url = self.file.storage.url
        fallback = next((s for s in sizes if s["width"] >= FALLBACK_WIDTH), sizes[-1])
        return {
            "src": url(fallback["jpeg"]),
            "jpeg_srcset": ", ".join(f"{url(s['jpeg'])} {s['width']}w" for s in sizes),
            "webp_srcset": ", ".join(f"{url(s['webp'])} {s['width']}w" for s in sizes),
            "width": manifest["width"],
            "height": manifest["height"],
            "position": self.focal_position,
        }

    def social_picture(self):
        """The link-preview picture (og:image): {url, width, height}, cut
        around the focal point once the renditions are made, the file as
        uploaded until then; None when the picture is not shown."""
        if not self.is_shown:
            return None
        social = (self.made_renditions() or {}).get("social")
        if social:
            url = self.file.storage.url(social["jpeg"])
            width, height = social["width"], social["height"]
        else:
            url, width, height = self.file.url, self.width, self.height
        return {"url": absolute_url(url), "width": width, "height": height}

    def feed_image(self):
        """The picture for a feed enclosure: a JPEG about 1280 pixels wide."""
        if not self.is_shown:
            return None
        details = {"alt": self.alt, "credit": self.credit}
        manifest = self.made_renditions()
        if manifest is None:
            try:
                length = self.file.size  # asks the storage: no renditions yet
            except Exception as exc:
                if isinstance(exc, OSError) or storage_failed(exc):
                    return None  # the feed goes out without this enclosure
                raise
            return {
                **details,
                "url": absolute_url(self.file.url),
                "length": length,
                "type": mimetypes.guess_type(self.file.name)[0] or "image/jpeg",
                "width": self.width,
                "height": self.height,
            }
        sizes = manifest.get("sizes")
        if not sizes:
            return None
        best = next((s for s in reversed(sizes) if s["width"] <= FEED_WIDTH), sizes[0])
        return {
            **details,
            "url": absolute_url(self.file.storage.url(best["jpeg"])),
            "length": best["jpeg_bytes"],
            "type": "image/jpeg",
            "width": best["width"],
            "height": best["height"],
        }
