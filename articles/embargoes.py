"""Embargoes: a story held back from readers until a time, whatever its status.

The visibility rule (`published_condition`) hides an embargoed story from
every public surface. A published story goes live when its embargo ends by
the same clock as a scheduled one: its publication time is the embargo's, so
the scheduler, the next-publication cap of cached pages and the edge purge
due at that time (articles/purges.py) all apply. The write path
(articles/publishing.py) calls these on every save.
"""

from django.utils import timezone

from .models import Article


def follow_embargo(article, held_until):
    """A published story goes live when its embargo ends, never before: its
    time is the embargo's, and moves with it (`held_until`, the stored
    embargo); lifted early, it goes live now."""
    if article.status != Article.Status.PUBLISHED:
        return
    until, was = article.embargoed_until, article.published_at
    if held_until and until != held_until and article.published_at == held_until:
        if until is not None:
            article.published_at = until
        elif held_until > timezone.now():
            article.published_at = timezone.now()
    if until and (article.published_at is None or article.published_at < until):
        article.published_at = until
    moved = article.published_at != was
    shown = article.public_updated_at
    if moved and shown is not None and shown < article.published_at:
        # Its "Updated" time is never before the story is out.
        article.public_updated_at = article.published_at


def embargo_note(held_until, article):
    """What the revision says of a change of embargo ("" if none)."""
    until = article.embargoed_until
    if until == held_until:
        return ""
    if until is None:
        return "Embargo lifted"
    when = f"{timezone.localtime(until):%d %b %Y %H:%M %Z}"
    return f"Embargo moved to {when}" if held_until else f"Embargoed until {when}"
