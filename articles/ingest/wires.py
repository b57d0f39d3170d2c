"""Polling wire sources: fetch what changed, import it through the same loader.

A feed is fetched with a conditional GET (the ETag and Last-Modified the last
answer gave), so an unchanged feed costs one small request; a folder is read
for the files that are new or changed since they were last imported. What
comes in goes through `import_paths`, the importer's one entry point, which
matches each story by its source id: a story polled twice is one article.
Every poll is recorded (`WireRun`); a failed one (an HTTP error, a timeout, a
file that does not parse) waits twice as long before the next try, up to a
day, and the source's health shows in the admin.
"""

import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .image_files import ImageRefused, check_host
from .imports import import_paths
from .models import WireRun, WireSource

MAX_BACKOFF = timedelta(days=1)
MAX_FEED_BYTES = 20 * 1024 * 1024


class PollFailed(Exception):
    pass


def due_sources(now):
    return WireSource.objects.filter(active=True).exclude(next_poll_at__gt=now)


def claim_due(now):
    """The sources due now, each pushed to its next slot so another scheduler
    round does not poll it again meanwhile (a lost poll is retried then)."""
    claimed = []
    for source in due_sources(now):
        wait = timedelta(minutes=source.interval_minutes)
        if WireSource.objects.filter(
            pk=source.pk, next_poll_at=source.next_poll_at
        ).update(next_poll_at=now + wait):
            claimed.append(source.pk)
    return claimed


def poll(source):
    """Poll `source` once; returns its `WireRun`."""
    try:
        with tempfile.TemporaryDirectory() as scratch:
            if source.url:
                paths = fetched(source, Path(scratch))
            else:
                paths = changed_files(source)
            if not paths:
                return finish(source, WireRun(outcome=WireRun.Outcome.NOT_MODIFIED))
            result = import_paths(
                paths,
                section=source.section.slug if source.section else None,
                status=source.status,
            )
    except PollFailed as exc:
        return finish(source, WireRun(outcome=WireRun.Outcome.FAILED, errors=str(exc)))
    nothing_read = result.failed and result.total == result.failed
    run = WireRun(
        outcome=WireRun.Outcome.FAILED if nothing_read else WireRun.Outcome.IMPORTED,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        failed=result.failed,
        errors="\n".join(
            f"{p.position}: {p.message}" if p.position else p.message
            for p in result.failures
        )[:5000],
    )
    if not source.url and not nothing_read:
        remember_files(source, paths)
    return finish(source, run)


def finish(source, run):
    """Record `run` and set the source's next poll (later after failures)."""
    run.source = source
    run.save()
    now = timezone.now()
    wait = timedelta(minutes=source.interval_minutes)
    if run.outcome == WireRun.Outcome.FAILED:
        failures = source.failures + 1
        wait = min(wait * 2**failures, MAX_BACKOFF)
    else:
        failures = 0
    source.failures = failures
    source.next_poll_at = now + wait
    source.save(
        update_fields=[
            "failures",
            "next_poll_at",
            "etag",
            "last_modified",
            "folder_seen",
        ]
    )
    return run


def fetched(source, scratch):
    """[the path of the feed, saved in `scratch`], or [] if it has not changed."""
    if not settings.NEWSROOM_WIRE_ALLOW_PRIVATE:
        try:
            check_host(source.url)
        except ImageRefused as exc:
            raise PollFailed(str(exc).replace("image URL", "address")) from exc
    headers = {"User-Agent": f"Newsroom wire poller ({settings.SITE_URL})"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    request = urllib.request.Request(source.url, headers=headers)
    try:
        with urllib.request.urlopen(
            request, timeout=settings.NEWSROOM_WIRE_TIMEOUT
        ) as response:
            body = response.read(MAX_FEED_BYTES + 1)
            etag = response.headers.get("ETag", "")
            modified = response.headers.get("Last-Modified", "")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return []
        raise PollFailed(f"HTTP {exc.code} from {source.url}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PollFailed(f"cannot fetch {source.url}: {reason}") from exc
    if len(body) > MAX_FEED_BYTES:
        raise PollFailed(f"the feed is larger than {MAX_FEED_BYTES // 2**20} MB")
    source.etag, source.last_modified = etag[:300], modified[:100]
    suffix = Path(urllib.parse.urlsplit(source.url).path).suffix[:10]
    path = scratch / f"feed{suffix}"
    path.write_bytes(body)
    return [str(path)]


def changed_files(source):
    """The folder's files that are new or changed since they were imported."""
    folder = Path(source.folder)
    if not folder.is_dir():
        raise PollFailed(f"no folder at {source.folder}")
    seen = source.folder_seen or {}
    return [
        str(path)
        for path in sorted(folder.iterdir())
        if path.is_file()
        and not path.name.startswith(".")
        and seen.get(path.name) != stamp(path)
    ]


def stamp(path):
    info = Path(path).stat()
    return f"{info.st_mtime_ns}:{info.st_size}"


def remember_files(source, files):
    seen = dict(source.folder_seen or {})
    for name in files:
        seen[Path(name).name] = stamp(name)
    source.folder_seen = seen
