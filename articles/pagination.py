"""Paginating lists: bad page numbers are a 404, never a 500.

Section, tag and author pages are walked newest to oldest and never counted
(`listing_page`): counting an author's 5,000 articles cost more than showing
twenty of them, and it grows with the archive. Search, corrections and the API
show their totals, so they use Django's counting paginator (`paginate`).
"""

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

PER_PAGE = 20
MAX_PAGE_DIGITS = 6


def page_number(request):
    """`?page=` as a positive whole number (missing: 1); anything else is a 404.

    `abc`, `-1`, `0`, `1.5` or a 5,000-digit number are all "no such page".
    """
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        raise Http404("No such page.")
    return int(raw)


def paginate(request, queryset, per_page=PER_PAGE, count=None):
    """The requested page of `queryset`, with the total count (`count` if the
    caller knows it already, else counted)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(page_number(request))
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


@dataclass
class ListingPage:
    """One page of a newest-first listing: what the templates use of a Page."""

    object_list: list
    number: int
    has_older: bool

    def has_next(self):
        return self.has_older

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def listing_page(request, queryset, per_page=PER_PAGE):
    """The requested page of `queryset` (or of anything sliced as one), without
    counting it.

    One row more than a page is read to know whether an older page exists. A
    page past the end is a 404; an empty first page is an empty listing.
    """
    number = page_number(request)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404("No such page.")
    return ListingPage(rows[:per_page], number, has_older=len(rows) > per_page)
