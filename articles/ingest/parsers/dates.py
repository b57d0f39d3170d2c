"""Dates as a source gives them: a day alone, or a time with or without a zone.

A day alone ("2015-03-18") is read as midnight and marked date-only, so a
later step can show the day without inventing a time. A time without a zone
is read in the source's zone (`import_articles --time-zone`), which defaults
to the site's (TIME_ZONE), and the record says so: the import reports every
record it read that way. Shapes other than ISO 8601 go through
`fields.parse_date`'s readers.
"""

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from .fields import clean_text, parse_date, parse_other_date, site_zone

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")
_COMPACT_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")
_UNKNOWN_LOCAL = re.compile(r"\s-0000\s*$")


def read_date(value, zone=None):
    """(an aware datetime in UTC or None, whether the source gave only a day).

    Raises ValueError with the reason for a date that is there but cannot be
    read or is out of range.
    """
    when, date_only, _ = _read(value, zone)
    return when, date_only


def _read(value, zone):
    """read_date, and whether a time without a zone was read in `zone`."""
    text = clean_text(value)
    if not text or text.startswith("0000-00-00"):
        return None, False, False
    zone = zone or site_zone()
    if _DAY.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"unreadable date {text[:60]!r}") from None
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
        return parse_date(midnight), True, False
    parsed = _iso(text) or _rfc822(text) or parse_other_date(text)
    if parsed is None:
        raise ValueError(f"unreadable date {text[:60]!r}")
    zoneless = parsed.tzinfo is None or parsed.utcoffset() is None
    if zoneless:
        # fold=0: in a DST overlap the earlier moment, so a story never goes
        # live late by an hour; in a gap zoneinfo moves forward.
        parsed = parsed.replace(tzinfo=zone)
    return parse_date(parsed), False, zoneless


def _iso(text):
    if not _ISO.match(text):
        return None
    candidate = _COMPACT_OFFSET.sub(r"\1:\2", text.replace(" ", "T", 1))
    try:
        return datetime.fromisoformat(candidate.replace("z", "Z"))
    except ValueError:
        return None


def _rfc822(text):
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None and _UNKNOWN_LOCAL.search(text):
        # RFC 5322: "-0000" is UTC, the sender's own zone left unsaid.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def date_of(record, value, label, zone=None):
    """read_date for a record: an unreadable date becomes one of its problems,
    and a time without a zone is noted on the record (`zoneless`) and in its
    warnings, with the zone it was read in."""
    try:
        when, date_only, zoneless = _read(value, zone)
    except ValueError as exc:
        record.problems.append(f"{label}: {exc}")
        return None, False
    if zoneless and label not in record.zoneless:
        name = zone_name(zone or site_zone())
        record.zoneless.append(label)
        record.warnings.append(
            f"{label} {clean_text(value)[:60]!r} has no time zone: read as {name}"
        )
    return when, date_only


def zone_name(zone):
    return getattr(zone, "key", None) or str(zone)
