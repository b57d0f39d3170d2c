"""How the admin shows an embargo: "Embargoed until 5 Dec 2026 10:00 · lifts in
2 h 14 min", the countdown ticked in the page by embargo.js."""

from django.utils import timezone
from django.utils.html import format_html


def lifts_in(until, now=None):
    """ "lifts in 2 h 14 min" (minutes rounded up), or "lifted" once it has."""
    seconds = (until - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return "lifted"
    minutes = -int(-seconds // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        parts = [f"{days} d", f"{hours} h"]
    elif hours:
        parts = [f"{hours} h", f"{mins} min"]
    else:
        parts = [f"{mins} min"]
    return "lifts in " + " ".join(parts)


def embargo_label(article, now=None):
    """The embargo and its countdown as HTML, or "" when none holds."""
    until = article.embargoed_until
    if until is None or until <= (now or timezone.now()):
        return ""
    return format_html(
        'Embargoed until {} · <span class="newsroom-countdown" '
        'data-embargo-until="{}">{}</span>',
        f"{timezone.localtime(until):%d %b %Y %H:%M %Z}",
        until.isoformat(),
        lifts_in(until, now),
    )
