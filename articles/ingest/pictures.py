"""The lead picture of a record: the Image row it names, found or stored.

A picture is matched on its source identity (Image.source_uri) and stored once;
its bytes come from image_files.py, and renditions are made by a task after the
batch commits (the pks stored are kept for that).
"""

from articles.models import Image

from .image_files import ImageRefused, image_file


class Pictures:
    def __init__(self, *, media_dir=None, fetch=False, write_files=True):
        self.media_dir = media_dir
        self.fetch = fetch  # --fetch-images
        self.write_files = write_files  # a dry run writes no files
        self.stored = set()  # pks of the images the open batch stored

    def for_record(self, record, existing=None):
        """The record's picture (an Image), or None; `existing` is the article
        it was imported as, if any."""
        wanted = record.image
        if wanted is None or not wanted.source_uri:
            return None
        if (
            existing is not None
            and existing.hero_image_id
            and existing.hero_image.source_uri == wanted.source_uri
        ):
            return existing.hero_image
        return self.image(wanted, record.warnings, alt=record.headline)

    def image(self, wanted, warnings, *, alt=""):
        """The Image for `wanted` (an ImageRecord), found or stored; None if
        its file is refused (a warning says why)."""
        image = (
            Image.objects.filter(source_uri=wanted.source_uri).order_by("pk").first()
        )
        if image is not None:
            return image
        content = None
        if wanted.href and self.write_files:
            try:
                content = image_file(
                    wanted.href, media_dir=self.media_dir, fetch=self.fetch
                )
            except ImageRefused as exc:
                warnings.append(f"image not imported: {exc}")
                return None
        image = Image(
            alt=(wanted.alt or wanted.caption or alt)[:300],
            caption=wanted.caption,
            credit=wanted.credit[:200],
            source=wanted.source[:200],
            usage_terms=wanted.usage_terms,
            **focal_point(wanted.focus),
            source_uri=wanted.source_uri[:500],
            renditions=wanted.renditions,
        )
        if content is not None:
            storage = image.file.storage
            name = image.file.field.generate_filename(image, content.name)
            if storage.exists(name):
                image.file.name = name
                image.save()
            else:
                image.file.save(content.name, content, save=True)
            self.stored.add(image.pk)
        else:
            image.save()
        return image


def focal_point(focus):
    """The Image fields of a source's focal point, if it gave one."""
    return {"focal_x": focus[0], "focal_y": focus[1]} if focus else {}
