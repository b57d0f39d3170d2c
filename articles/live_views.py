"""Live updates as readers get them: the entries on the article page, and the
small endpoint the page polls (`<article address>live.json`).

The endpoint is a public page like the article's: the same door
(`published()`: a draft's is 404, a withdrawn story's 410), the page cache's
ETag and 304, and at the edge the article's surrogate key, so a new entry
purges both (articles/live.py).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import Article, LiveCoverage, LiveEntry
from .prepared import PreparedQuery

LIVE_PATH = "live.json"


@dataclass
class LiveBlog:
    """A story's live coverage as shown: the key points and the other entries."""

    coverage: LiveCoverage
    pinned: LiveEntry | None = None
    entries: list = field(default_factory=list)
    # How often the page asks for new entries; 0: it does not (ended, preview).
    poll_seconds: int = 0

    @property
    def all_entries(self):
        """Every entry, newest first (the key points among them)."""
        found = [*self.entries, *([self.pinned] if self.pinned else [])]
        return sorted(found, key=lambda e: (e.created_at, e.pk), reverse=True)


def live_blog(article, *, poll=True):
    """The LiveBlog of `article`, or None if it has no live coverage. One query
    for the entries when the coverage came with the article (select_related
    "live_coverage"), none for a story that has none."""
    try:
        coverage = article.live_coverage
    except LiveCoverage.DoesNotExist:
        return None
    live = LiveBlog(coverage)
    if poll and coverage.is_open:
        live.poll_seconds = settings.NEWSROOM_LIVE_POLL_SECONDS
    for entry in LIVE_ENTRIES(pk=article.pk):
        if entry.pinned:
            live.pinned = entry
        else:
            live.entries.append(entry)
    return live


# A live story's entries, newest first: the query compiled once (articles/prepared.py).
LIVE_ENTRIES = PreparedQuery(
    LiveEntry,
    lambda pk: LiveEntry.objects.filter(article=pk).select_related("author", "image"),
    pk=int,
)


def live_url(article):
    return uri_to_iri(article.get_absolute_url()) + LIVE_PATH


@require_safe
@cache_control(public=True)
def live_updates(request, year, month, day, slug):
    article = (
        Article.objects.published()
        .select_related("live_coverage")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        if Article.objects.filter(slug=slug, status=Article.Status.WITHDRAWN).exists():
            return JsonResponse({"error": "This story was withdrawn."}, status=410)
        raise Http404("No such article.")
    live = live_blog(article) if request.path == live_url(article) else None
    if live is None:
        raise Http404("No live coverage here.")
    return JsonResponse(as_json(live))


def as_json(live):
    """What the page's script needs to show new and changed entries."""
    coverage = live.coverage
    return {
        "live": coverage.is_open,
        "started_at": iso(coverage.started_at),
        "ended_at": iso(coverage.ended_at),
        "key_points": entry_json(live.pinned) if live.pinned else None,
        "entries": [entry_json(entry) for entry in live.entries],
    }


def entry_json(entry):
    return {
        "id": entry.pk,
        "created_at": iso(entry.created_at),
        "updated_at": iso(entry.updated_at),
        "html": render_to_string("includes/live_entry.html", {"entry": entry}),
    }


def iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None
