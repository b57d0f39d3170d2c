"""One paginator for every listing: bad page numbers are a 404, never a 500."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

PER_PAGE = 20
MAX_PAGE_DIGITS = 6


def paginate(request, queryset, per_page=PER_PAGE):
    """The requested page of `queryset`.

    `?page=` must be a positive whole number no larger than the last page;
    anything else (`abc`, `-1`, `0`, `1.5`, a 5,000-digit number) is a 404.
    A missing `page` is the first page.
    """
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS:
        raise Http404("No such page.")
    try:
        return Paginator(queryset, per_page).page(int(raw))
    except InvalidPage as exc:
        raise Http404("No such page.") from exc
