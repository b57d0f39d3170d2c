"""The article field values a record asks for, checked and cleaned.

Pure of look-ups: sections, authors, tags and pictures are found elsewhere
(catalogue.py, tags.py, pictures.py).
"""

from dataclasses import dataclass

from articles import publishable
from articles.models import Article
from articles.sanitize import sanitize_body
from articles.structured_data import UPDATE_THRESHOLD

from .limits import oversized
from .results import RecordFailed

# What readers of a story its source killed are told (ninjs withheld/canceled).
KILL_REASON = "This story was withdrawn by its source."

# Lengths checked here, since SQLite does not enforce them (PostgreSQL raises).
LIMITS = {
    "source_uri": 500,
    "headline": 300,
    "kicker": 100,
    "credit": 200,
    "language": 20,
    "canonical_url": 500,
    "dateline_place": 100,
    "dateline_date": 30,
    "dateline_source": 50,
}
DECK_LIMIT = 5000


def stable_body(html):
    """Sanitize until stable, so saving (which sanitizes again) changes nothing.

    The one sanitizing of an imported body: the draft rule below and the
    write path's check are told it is clean (`body_clean`)."""
    for _ in range(3):
        clean = sanitize_body(html)
        if clean == html:
            break
        html = clean
    return html


def article_values(record, *, status=None):
    """The Article fields of `record` ({name: value}), or RecordFailed.

    `status` is the run's --status, which wins over the source's but for a
    kill.
    """
    if reason := oversized(record):
        raise RecordFailed(reason)
    values = {
        "source_uri": record.source_uri,
        "headline": record.headline,
        "kicker": record.kicker,
        "credit": record.credit,
        "language": record.language or "en",
        "canonical_url": record.canonical_url,
        "dateline_place": record.dateline_place,
        "dateline_date": record.dateline_date,
        "dateline_source": record.dateline_source,
    }
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise RecordFailed(
                f"{name.replace('_', ' ')} is {len(values[name])} characters long; "
                f"the limit is {limit}"
            )
    if len(record.deck) > DECK_LIMIT:
        raise RecordFailed(
            f"deck is {len(record.deck)} characters; the limit is {DECK_LIMIT}"
        )
    values["deck"] = record.deck
    body = record.stable_body
    values["body"] = stable_body(record.body) if body is None else body
    status = status or record.status or Article.Status.PUBLISHED
    if record.kill:
        status = record.status  # the source's kill overrides --status
    values["status"] = status
    if record.kill and status == Article.Status.WITHDRAWN:
        values["withdrawn_reason"] = KILL_REASON
    values["published_at"] = record.published_at
    # Readers see nothing before it; the write path holds a published story
    # back until then (articles/embargoes.py).
    values["embargoed_until"] = record.embargoed_until
    values["published_date_only"] = bool(
        record.published_at and record.published_date_only
    )
    if record.published_at:
        # Readers see the source's "Updated" time, never the import's; as
        # on the site itself, a version saved within the hour is no update,
        # and a source that says nothing of updates shows none.
        later = (
            record.updated_at is not None
            and record.updated_at - record.published_at > UPDATE_THRESHOLD
        )
        values["public_updated_at"] = (
            record.updated_at if later else record.published_at
        )
    return values


def date_filled(values, published_at, shown_update=None):
    """Give `values` without a source date their publication time (the first
    import's, or the stored one), and an "Updated" time that is no update: the
    time of an import is never shown to readers as one."""
    if values["published_at"] is None:
        values["published_at"] = published_at
    if values.get("public_updated_at") is None:
        values["public_updated_at"] = shown_update or values["published_at"]


@dataclass
class RuleProbe:
    """What the rule reads of an article checked without its bylines: an
    import checks every record's values before any Article is built, and an
    Article built for each only to be read here cost more than the check."""

    headline: str
    body: str
    credit: str


def hold_back_unpublishable(record, values):
    """The write path's rule (but for the byline, which is a warning of its
    own): a record that may not be published is imported as a draft, with a
    warning."""
    if values["status"] != Article.Status.PUBLISHED:
        return
    probe = RuleProbe(values["headline"], values["body"], values["credit"])
    if found := publishable.problems(probe, bylines=False, body_clean=True):
        record.warnings.append(
            f"{' and '.join(found)}: imported as a draft, not published"
        )
        values["status"] = Article.Status.DRAFT
