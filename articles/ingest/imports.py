"""An import, start to end: files are parsed (sources.py, pure), their records
loaded (batches.py), and the result returned.

Safe to re-run: records are matched on their source identity
(Article.source_uri); unchanged ones are left alone, and articles edited since
they were imported are never overwritten.
"""

import zoneinfo
from contextlib import nullcontext

from django.conf import settings
from django.db import transaction

from articles import tasks
from articles.models import PendingWork, Section

from .batches import Loader
from .detect import UnknownFormat
from .records import READ_ERRORS, SourceError
from .results import ImportResult, Problem
from .sources import sources


class NoSuchSection(Exception):
    """--section names no section; the message lists those there are."""


class NoSuchTimeZone(Exception):
    """--time-zone names no zone of the IANA database."""


def time_zone_named(name):
    """The ZoneInfo called `name` ("Europe/Rome"), or NoSuchTimeZone."""
    name = (name or "").strip()
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise NoSuchTimeZone(
            f"No time zone {name!r}: give an IANA name such as 'Europe/Rome', "
            "'America/New_York' or 'UTC'."
        ) from None


def import_paths(
    paths,
    *,
    format="auto",
    dry_run=False,
    section=None,
    default_author="",
    status=None,
    media_dir=None,
    fetch_images=False,
    time_zone=None,
    on_source=None,
    on_read=None,
    on_outcome=None,
    read_ahead=False,
) -> ImportResult:
    """Import files, folders or "-" (standard input).

    `section` is a slug every article goes to; `status` overrides the
    source's; `time_zone` (an IANA name, default the site's TIME_ZONE) is the
    zone of the source's times that give none (the result counts the records
    read so, `ImportResult.zoneless`). A dry run does everything, then rolls
    it back, and enqueues nothing. Callbacks, for progress:
    `on_source(source, fmt)` as a file's format is known, `on_read(item)`
    for every item a parser yields, and
    `on_outcome(item, outcome)` as each is decided. With `read_ahead` (the
    import command's), a large file may be parsed by a second process while
    the batch before is written (ahead.py); wire polls, which run in task
    workers, read in their own process.
    """
    zone = time_zone_named(time_zone or settings.TIME_ZONE)
    forced_section = None
    if section:
        forced_section = Section.objects.filter(slug=section).first()
        if forced_section is None:
            slugs = ", ".join(Section.objects.values_list("slug", flat=True)) or "none"
            raise NoSuchSection(f"No section {section!r} (sections: {slugs}).")
    loader = Loader(
        section=forced_section,
        default_author=default_author.strip(),
        status=status,
        media_dir=media_dir,
        fetch_images=fetch_images,
        write_files=not dry_run,
        on_outcome=on_outcome,
        defer_search=True,
        read_ahead=read_ahead,
    )
    with transaction.atomic() if dry_run else nullcontext():
        try:
            for source in sources(paths):
                _import_source(source, format, loader, zone, on_source, on_read)
            loader.commit()
        except BaseException as exc:
            loader.abort(exc)
            raise
        # Related links, renditions and search vectors are done by tasks,
        # for this run's articles and any an interrupted run left waiting
        # (articles/tasks.py). A dry run enqueues nothing.
        tasks.drain_after_commit()
        if dry_run:
            transaction.set_rollback(True)
    result = loader.result
    result.waiting = 0 if dry_run else PendingWork.objects.count()
    result.time_zone = zone.key
    return result


def _import_source(source, forced, loader, zone, on_source, on_read):
    result = loader.result
    try:
        stream = source.open()
    except OSError as exc:
        result.fail(str(source), "", f"cannot read: {exc.strerror or exc}")
        return
    if source.encoding_note:
        result.warnings.append(Problem(str(source), "", source.encoding_note))
    with stream:
        try:
            fmt = source.format(stream, forced)
        except UnknownFormat as exc:
            if source.from_folder:
                result.skip(str(source), "", f"not imported: {exc}")
            else:
                result.fail(str(source), "", str(exc))
            return
        except SourceError as exc:  # a UTF-16 file that does not decode
            result.fail(str(source), exc.position, exc.message)
            return
        if on_source:
            on_source(source, fmt)
        try:
            loader.read(source, stream, fmt, zone=zone, on_read=on_read)
        except SourceError as exc:
            result.fail(str(source), exc.position, exc.message)
        except READ_ERRORS as exc:
            result.fail(str(source), "", f"cannot read: {exc}")
