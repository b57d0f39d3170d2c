"""Editions: which published stories go in, and the message each subscriber
gets (HTML and plain text, with their own unsubscribe link).

The HTML is a single 600-pixel column of tables with inline styles, which
mail clients render alike and narrow screens shrink; it stays under the
size Gmail clips (102 KB): stories are left out from the end until it fits.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article

from .models import Edition, Newsletter
from .subscriptions import absolute

CLIP_BYTES = 102 * 1024
SIZE_MARGIN = 2 * 1024  # room for the subscriber's own links


def stories(newsletter, now):
    """The stories published since the newsletter's last daily edition (a day
    at most), newest first: none is missed, none is sent twice."""
    since = now - timedelta(days=1)
    last = newsletter.editions.filter(breaking=None).order_by("-created_at").first()
    if last is not None:
        since = max(since, last.created_at)
    found = Article.objects.published().filter(
        published_at__gt=since, published_at__lte=now
    )
    if newsletter.kind == Newsletter.Kind.SECTION:
        found = found.filter(section=newsletter.section_id)
    return list(found.for_listing().order_by("-published_at")[: newsletter.max_stories])


def build_daily(newsletter, day):
    """The edition of `day`, made once; None if it was made already. A day
    without stories gets an edition with none, marked sent: nothing goes out."""
    picked = stories(newsletter, timezone.now())
    subject = f"{newsletter.name}: {date_format(day, 'j F Y')}"
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                newsletter=newsletter,
                issue_date=day,
                subject=subject,
                status=Edition.Status.READY if picked else Edition.Status.SENT,
            )
            edition.articles.set(picked)
    except IntegrityError:  # made already (an earlier scheduler round)
        return None
    return edition


def build_breaking(newsletter, article):
    """A breaking-news edition of one published story."""
    edition, _ = Edition.objects.get_or_create(
        newsletter=newsletter,
        breaking=article,
        defaults={
            "issue_date": timezone.localdate(),
            "subject": f"Breaking: {article.headline}",
        },
    )
    return edition


def edition_stories(edition):
    if edition.breaking_id:
        return list(Article.objects.published().filter(pk=edition.breaking_id))
    return list(edition.articles.published().for_listing().order_by("-published_at"))


def story_context(article):
    picture = article.hero_image.picture() if article.hero_image else None
    return {
        "headline": article.headline,
        "deck": article.deck,
        "url": absolute(article.get_absolute_url()),
        "image": absolute(picture["src"]) if picture else None,
        "alt": article.hero_image.alt if picture else "",
        "published_at": article.published_at,
    }


def render(edition, unsubscribe="#"):
    """(html, text) of `edition` with its `unsubscribe` link ("#": the admin's preview).

    The sender passes the same link it puts in the List-Unsubscribe header:
    a signed link carries the second it was made, so making it twice can give
    two different links.
    """
    items = [story_context(a) for a in edition_stories(edition)]
    while True:
        context = {
            "edition": edition,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "stories": items,
            "unsubscribe_url": unsubscribe,
        }
        html = render_to_string("newsletters/email/edition.html", context)
        if len(html.encode()) <= CLIP_BYTES - SIZE_MARGIN or len(items) <= 1:
            break
        items = items[:-1]
    return html, render_to_string("newsletters/email/edition.txt", context)
