"""The site-wide corrections page: every correction, clarification and update."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Article, Correction
from .pagination import paginate


def public_corrections():
    """Notes on articles readers can see, newest first."""
    return Correction.objects.filter(
        article__in=Article.objects.published()
    ).prefetch_related(
        Prefetch("article", queryset=Article.objects.select_related("section"))
    )


@require_safe
def corrections_list(request):
    return render(
        request,
        "articles/corrections.html",
        {"page_obj": paginate(request, public_corrections())},
    )
