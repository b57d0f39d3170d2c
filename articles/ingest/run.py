"""What one import run knows: its options, what it has looked up, the articles
it has met, and its result. The record paths (bulk.py, upsert.py) share it."""

from .catalogue import Catalogue
from .pictures import Pictures
from .results import ImportResult
from .tags import Tags


class Run:
    def __init__(
        self,
        *,
        section=None,
        default_author="",
        status=None,
        media_dir=None,
        fetch_images=False,
        write_files=True,
    ):
        self.status = status  # --status, else the source's
        self.catalogue = Catalogue(section=section, default_author=default_author)
        self.tags = Tags()
        self.pictures = Pictures(
            media_dir=media_dir, fetch=fetch_images, write_files=write_files
        )
        self.result = ImportResult()
        self.seen = set()  # articles this run has met: later duplicates are skipped

    def forget(self):
        """Drop the look-ups: a rolled-back savepoint may have made them."""
        self.catalogue.forget()
        self.tags.forget()
