"""The write path of live updates: entries added, edited and pinned, and the
live coverage ended.

Like articles/publishing.py (which offers these functions too), each one
validates, writes in one transaction and then does what an article update
does: the public "Updated" time moves, the cached pages are retired and the
edge's pages of the article (its page and its live endpoint share its
surrogate key) are purged by a task once the write commits.

Who may do what is the caller's business: the admin allows exactly those who
may change the article.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks

from . import embeds, purges
from .freshness import pages_changed
from .models import Article, LiveCoverage, LiveEntry
from .revisions import signed_in
from .sanitize import sanitize_body


class Stale(ValidationError):
    """The entry was changed by someone else since the editor opened it."""


def add_live_entry(
    article, *, by, text, image=None, embed_url="", author=None, pinned=False, at=None
):
    """A new entry on `article`; the first one starts its live coverage. `at`
    is when it was written: now, unless a loader (the demo) knows better."""
    at = min(at or timezone.now(), timezone.now())
    entry = LiveEntry(
        article=article,
        text=entry_text(text),
        image=image,
        embed_url=entry_embed(embed_url),
        author=author,
        created_by=signed_in(by),
        updated_by=signed_in(by),
    )
    with transaction.atomic():
        coverage = LiveCoverage.objects.select_for_update().filter(article=article)
        coverage = coverage.first()
        if coverage is None:
            coverage = LiveCoverage.objects.create(article=article, started_at=at)
        elif not coverage.is_open:
            raise ValidationError(
                "The live coverage of this story has ended: no entry can be added."
            )
        entry.created_at = entry.updated_at = at
        if pinned:
            unpin_all(article)
            entry.pinned = True
        entry.save()
        entries_changed(article, at=at)
    return entry


def edit_live_entry(
    entry, *, by, text, image=None, embed_url="", author=None, seen=None
):
    """Change `entry`'s words, picture, embed and author. `seen` is the
    `updated_at` the editor started from: if the entry changed since, nothing
    is written (`Stale`), so nobody's text is silently replaced."""
    text, embed_url = entry_text(text), entry_embed(embed_url)
    with transaction.atomic():
        current = LiveEntry.objects.select_for_update().get(pk=entry.pk)
        if seen is not None and current.updated_at != seen:
            raise Stale(
                "Someone else changed this entry since you opened it: "
                "reload to see their version."
            )
        entry.text, entry.image, entry.embed_url = text, image, embed_url
        entry.author = author
        entry.updated_at, entry.updated_by = timezone.now(), signed_in(by)
        entry.save()
        entries_changed(entry.article)
    return entry


def pin_live_entry(entry, *, by, pinned=True):
    """Make `entry` the story's key points (the one pinned entry), or not."""
    with transaction.atomic():
        if pinned:
            unpin_all(entry.article)
        entry.pinned = pinned
        entry.updated_at, entry.updated_by = timezone.now(), signed_in(by)
        entry.save(update_fields=["pinned", "updated_at", "updated_by"])
        entries_changed(entry.article)
    return entry


def end_live_coverage(article, *, by):
    """End the live coverage of `article`, recording who and when."""
    with transaction.atomic():
        coverage = LiveCoverage.objects.select_for_update().filter(article=article)
        coverage = coverage.first()
        if coverage is None:
            raise ValidationError("This story has no live coverage to end.")
        if not coverage.is_open:
            raise ValidationError("The live coverage of this story has ended already.")
        coverage.ended_at, coverage.ended_by = timezone.now(), signed_in(by)
        coverage.save(update_fields=["ended_at", "ended_by"])
        entries_changed(article)
    return coverage


# What every entry must be


def entry_text(text):
    """Sanitised HTML (articles/sanitize.py). Text that does not start with a
    tag is plain text: escaped, a blank line starting a new paragraph."""
    text = (text or "").strip()
    if text and not text.startswith("<"):
        text = linebreaks(escape(text))
    text = sanitize_body(text)
    if not text:
        raise ValidationError("An entry needs some text.")
    return text


def entry_embed(url):
    """The embed's address as articles/embeds.py recognises it, or ""."""
    url = (url or "").strip()
    if not url:
        return ""
    embed = embeds.recognise(url)
    if embed is None:
        raise ValidationError(
            "That address is not one of the embeds the site knows "
            "(a post, video, map or chart address)."
        )
    return embed.url


def unpin_all(article):
    LiveEntry.objects.filter(article=article, pinned=True).update(pinned=False)


def entries_changed(article, *, at=None):
    """What an article update does: a live story's "Updated" time moves (to
    `at`, now by default; never back), its pages are retired and purged."""
    at = at or timezone.now()
    was = purges.before([article.pk])
    shown = article.public_updated_at
    if article.is_live and (shown is None or shown < at):
        article.public_updated_at = at
        Article.objects.filter(pk=article.pk).update(public_updated_at=at)
    purges.record_purge([article], was)
    pages_changed(articles=True)
