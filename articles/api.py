"""The read-only JSON API: published articles as IPTC ninjs 2.1.

Each article is mapped by articles/ninjs.py, the same mapping the export
command writes, so the API and export files never disagree. See docs/api.md.
"""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import Article, Byline, Correction
from .ninjs import article_to_ninjs
from .pagination import paginate
from .structured_data import absolute_url

PAGE_SIZE = 20


def api_articles():
    return (
        Article.objects.published()
        .select_related("section", "hero_image")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "tags",
            "corrections",
        )
    )


def corrected_since(when):
    """Articles with a correction at or after `when` (a correction moves no
    `updated_at`); through the corrections' time index."""
    return Correction.objects.filter(created_at__gte=when).values("article_id")


def error(status, message):
    return JsonResponse({"error": message}, status=status)


SINCE_ERROR = (
    "`since` must be an ISO 8601 date or date-time, "
    "e.g. 2025-03-01 or 2025-03-01T12:00:00+01:00."
)


def parse_since(value):
    """A UTC datetime from an ISO 8601 date or date-time; ValueError if not.

    Converted to UTC because databases refuse some offsets Python accepts
    (PostgreSQL stops at ±15:59). A valid value whose UTC time falls outside
    years 1-9999 means "before everything" or "after everything".
    """
    when = parse_datetime(value)  # ValueError for an offset of 24 hours or more
    if when is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        when = datetime.combine(day, time.min)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if when.utcoffset() > timedelta(0) else datetime.max
        return edge.replace(tzinfo=UTC)


def page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return absolute_url(f"{reverse('articles:api_articles')}?{query.urlencode()}")


@require_safe
@cache_control(public=True)
def article_list(request):
    params = {key: request.GET.get(key, "") for key in ("section", "tag", "author")}
    since = request.GET.get("since", "")
    if any("\x00" in value for value in [*params.values(), since]):
        return error(400, "Invalid characters in the query.")
    articles = api_articles()
    if params["section"]:
        articles = articles.filter(section__slug=params["section"])
    if params["tag"]:
        articles = articles.filter(tagged_items__tag__slug=params["tag"])
    if params["author"]:
        articles = articles.filter(bylines__author__slug=params["author"])
    if since:
        try:
            when = parse_since(since)
        except ValueError:
            return error(400, SINCE_ERROR)
        articles = articles.filter(
            Q(updated_at__gte=when)
            | Q(published_at__gte=when)
            | Q(pk__in=corrected_since(when))
        )
    try:
        page = paginate(request, articles, per_page=PAGE_SIZE)
    except Http404:
        return error(404, "No such page.")
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": page_url(request, page.number + 1) if page.has_next() else None,
            "previous": (
                page_url(request, page.number - 1) if page.has_previous() else None
            ),
            "results": [article_to_ninjs(article) for article in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cache_control(public=True)
def article_detail(request, pk):
    article = api_articles().filter(pk=pk).first()
    if article is None:
        return error(404, "No such article.")
    return JsonResponse(
        article_to_ninjs(article), json_dumps_params={"ensure_ascii": False}
    )
