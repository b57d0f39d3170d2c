"""The editors' desk: what needs the editor, on the admin's home page.

What waits for review, what goes live today, what went out lately, drafts
nobody has touched for a while, a chart of the last 30 days, and warnings:
scheduled stories overdue (their time passed, the scheduler or the workers did
not do their part) and stories out or scheduled whose picture has no credit.

Everything is read through `visible_articles`, so a reporter's desk is their
own work. Each part is one query whatever the size of the archive (a list is
cut, a count is a count), so the page costs the same on any archive.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from articles import scheduler
from articles.access import can_edit_any, visible_articles
from articles.models import Article
from articles.scheduler import SCHEDULER_HEARTBEAT_KEY

LIST_LENGTH = 10
CHART_DAYS = 30
CHART_WIDTH, CHART_HEIGHT = 600, 120  # the SVG's coordinate box, in user units
# Pictures on stories out since this long ago (or scheduled) must carry a credit;
# an old archive's uncredited pictures are not today's work.
CREDIT_WINDOW = timedelta(days=30)
# A story that went live by schedule more than this long before the scheduler
# ever reported is not looked for (nothing to compare it with).
OVERDUE_WINDOW = timedelta(days=1)


@dataclass
class Bar:
    day: object
    count: int
    x: float
    y: float
    height: float


@dataclass
class Chart:
    bars: list
    total: int
    busiest: object
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def bar_width(self):
        return self.width / CHART_DAYS - 2


def desk(user, now=None):
    """The desk's parts for `user`, as a template context."""
    now = now or timezone.now()
    articles = visible_articles(user, Article.objects.all()).select_related("section")
    local_now = timezone.localtime(now)
    end_of_day = timezone.make_aware(
        datetime.combine(local_now.date() + timedelta(days=1), time.min)
    )
    stale_days = settings.NEWSROOM_STALE_DRAFT_DAYS
    drafts = articles.filter(status=Article.Status.DRAFT)
    review = articles.filter(status=Article.Status.REVIEW)
    return {
        "editor": can_edit_any(user),
        "now": now,
        "time_zone": str(timezone.get_current_timezone()),
        "in_review": list(review.order_by("updated_at")[:LIST_LENGTH]),
        "in_review_count": review.count(),
        "scheduled_today": list(
            articles.scheduled()
            .filter(published_at__lt=end_of_day)
            .order_by("published_at")
        ),
        "recent": list(articles.published()[:LIST_LENGTH]),
        "drafts": list(drafts.order_by("-updated_at")[:LIST_LENGTH]),
        "stale_days": stale_days,
        "stale_drafts": list(
            drafts.filter(updated_at__lt=now - timedelta(days=stale_days)).order_by(
                "updated_at"
            )[:LIST_LENGTH]
        ),
        "overdue": list(overdue(articles, now)[:LIST_LENGTH]),
        "uncredited": list(
            uncredited(articles, now).select_related("hero_image")[:LIST_LENGTH]
        ),
        "chart": chart(articles, local_now),
    }


def overdue(articles, now):
    """Scheduled stories whose time passed more than NEWSROOM_OVERDUE_AFTER ago
    without their work done: their follow-up work (related links) still waits,
    or they went live after the scheduler's last round, so no round retired the
    pages that do not show them (the readiness check's rule, newsroom/health.py).
    """
    beat = cache.get(SCHEDULER_HEARTBEAT_KEY)
    last_round = (
        timezone.make_aware(datetime.fromtimestamp(beat))
        if beat is not None
        else now - OVERDUE_WINDOW
    )
    cutoff, waiting, missed = scheduler.overdue(last_round, now)
    return (
        articles.published()
        .filter(published_at__lte=cutoff)
        .filter(waiting | missed)
        .order_by("published_at")
    )


def uncredited(articles, now):
    """Stories out lately or scheduled whose picture has no credit."""
    return (
        articles.filter(
            status=Article.Status.PUBLISHED,
            published_at__gte=now - CREDIT_WINDOW,
            hero_image__isnull=False,
        )
        .filter(Q(hero_image__credit="") | Q(hero_image__credit__isnull=True))
        .order_by("-published_at")
    )


def chart(articles, local_now):
    """Stories published per day over the last CHART_DAYS days (today last),
    days in the newsroom's time zone, as bars for an inline SVG."""
    first = local_now.date() - timedelta(days=CHART_DAYS - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    counts = dict(
        articles.published()
        .filter(published_at__gte=start)
        .annotate(day=TruncDate("published_at", tzinfo=local_now.tzinfo))
        .order_by()
        .values_list("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    days = [first + timedelta(days=n) for n in range(CHART_DAYS)]
    highest = max(counts.values(), default=0)
    step = CHART_WIDTH / CHART_DAYS
    bars = []
    for n, day in enumerate(days):
        count = counts.get(day, 0)
        height = (CHART_HEIGHT - 4) * count / highest if highest else 0
        bars.append(
            Bar(
                day=day,
                count=count,
                x=round(n * step + 1, 1),
                y=round(CHART_HEIGHT - height, 1),
                height=round(height, 1),
            )
        )
    busiest = max(bars, key=lambda bar: bar.count) if highest else None
    return Chart(bars=bars, total=sum(counts.values()), busiest=busiest)
