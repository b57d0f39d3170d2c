"""What an import run reports: its counts and problems, each with its source
file and position, and what fails one record."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from .image_files import ImageRefused


@dataclass
class Problem:
    source: str
    position: str
    message: str

    def __str__(self):
        where = ", ".join(p for p in (self.source, self.position) if p)
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list = field(default_factory=list)
    skips: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    touched: list = field(default_factory=list)  # pks created or updated
    # Follow-up work (related links, renditions) left for the task workers.
    waiting: int = 0
    # Records loaded whose times had no zone, and the zone they were read in.
    zoneless: list = field(default_factory=list)
    time_zone: str = ""

    @property
    def total(self):
        return self.created + self.updated + self.unchanged + self.skipped + self.failed

    def fail(self, source, position, message):
        self.failed += 1
        self.failures.append(Problem(str(source), position, message))

    def skip(self, source, position, message):
        self.skipped += 1
        self.skips.append(Problem(str(source), position, message))

    def warn(self, source, position, messages):
        for message in messages:
            self.warnings.append(Problem(str(source), position, message))

    def loaded(self, source, record):
        """What a loaded record tells the report: its warnings, and whether
        its times had no zone."""
        self.warn(source, record.position, record.warnings)
        if record.zoneless:
            labels = ", ".join(record.zoneless)
            self.zoneless.append(Problem(str(source), record.position, labels))

    @property
    def zoneless_note(self):
        """ "3 records had times without a zone; read as Europe/Rome", or ""."""
        count = len(self.zoneless)
        if not count:
            return ""
        had = "1 record had" if count == 1 else f"{count} records had"
        return f"{had} times without a zone; read as {self.time_zone}"


class RecordFailed(Exception):
    """One record cannot be loaded; the message says why."""


# What fails one record (and, on the bulk path, sends its batch one by one).
LOAD_ERRORS = (ValidationError, DatabaseError, ValueError, ImageRefused, OSError)
