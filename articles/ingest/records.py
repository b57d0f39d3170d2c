"""What parsers yield: plain records, no ORM.

A parser turns one source file into a stream of `ArticleRecord`s (things to
load), `Skipped` (items that are not articles, such as pictures or WordPress
pages) and `Failed` (items it could not read). A problem with the whole file
raises `SourceError`.
"""

from dataclasses import dataclass, field
from datetime import datetime

# What reading a file may raise besides a SourceError: reported as the file's
# failure, "cannot read" (imports.py), wherever it was read (ahead.py).
READ_ERRORS = (OSError, UnicodeError, RecursionError, MemoryError)


class SourceError(Exception):
    """The file as a whole cannot be read (wrong format, ill-formed, unsafe)."""

    def __init__(self, message, position=""):
        super().__init__(message)
        self.message = message
        self.position = position

    def __reduce__(self):  # from a process reading ahead (ahead.py), whole
        return (type(self), (self.message, self.position))


@dataclass
class ImageRecord:
    source_uri: str = ""
    href: str = ""  # the rendition to fetch (remote URL or a path in --media-dir)
    caption: str = ""
    credit: str = ""
    source: str = ""  # who holds the rights (ninjs copyrightholder)
    usage_terms: str = ""  # what the licence allows (ninjs usageterms)
    focus: tuple | None = None  # the focal point, (x, y) fractions (ninjs 3 poi)
    alt: str = ""
    renditions: list = field(default_factory=list)


@dataclass
class ArticleRecord:
    position: str
    source_uri: str = ""
    headline: str = ""
    deck: str = ""
    body: str = ""  # HTML; the loader sanitizes it
    # The body sanitized until stable (values.stable_body), when it was worked
    # out as the file was read (ahead.py); None: the loader does it.
    stable_body: str | None = None
    kicker: str = ""
    published_at: datetime | None = None
    # When the source last changed it; shown as "Updated" only when well after
    # publication (values.py).
    updated_at: datetime | None = None
    status: str | None = None  # an Article.Status value, or None for the default
    authors: list = field(default_factory=list)
    credit: str = ""
    tags: list = field(default_factory=list)
    # Public notes: {"kind": correction/clarification/update, "text", "at"}.
    corrections: list = field(default_factory=list)
    section: list = field(default_factory=list)  # candidate section names, in order
    language: str = ""
    canonical_url: str = ""
    image: ImageRecord | None = None
    # The source takes the story back (ninjs withheld or canceled): a story
    # that ran is withdrawn, whatever --status says or editors changed.
    kill: bool = False
    # Earlier identities of this story (ninjs `replacing`): a stored article
    # with one of them is this story's, and takes its new identity.
    replaces: list = field(default_factory=list)
    published_date_only: bool = False  # the source gave a day, no time
    # Labels of the dates whose time had no zone and was read in the source's.
    zoneless: list = field(default_factory=list)
    # The dateline as the source gave it apart from the body (NewsML-G2
    # `dateline`, ninjs `located`, a page's marked one), and as read
    # (parsers/datelines.py: from it, else from the body's first paragraph).
    dateline: str = ""
    dateline_place: str = ""
    dateline_date: str = ""
    dateline_source: str = ""
    byline_roles: list = field(default_factory=list)  # {"name": …, "role": …}
    # Readers see nothing of the story before this time (ninjs `embargoed`).
    embargoed_until: datetime | None = None
    version: str = ""  # the source's version of the item
    problems: list = field(default_factory=list)  # reasons this record must fail
    warnings: list = field(default_factory=list)


@dataclass
class Skipped:
    position: str
    reason: str
    source_uri: str = ""
    # A picture item is no article, but its picture goes to the media library.
    image: ImageRecord | None = None


@dataclass
class Failed:
    position: str
    reason: str
