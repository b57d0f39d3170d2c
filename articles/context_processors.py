"""Values every public template needs: the site's name, address and sections."""

from functools import partial

from django.conf import settings
from django.core.cache import caches

from .addresses import site_paths
from .freshness import generation_for
from .models import Section


def navigation_sections(request=None):
    """[{"pk", "name", "slug", "url"}] of every section, in display order,
    read once per `request` however many times its page shows them.

    Kept in this process's memory (the `cards` cache) under the content
    generation, which the page reads anyway: a section edit shows at once,
    and a page pays no shared cache read for its navigation.
    """
    try:
        return request.navigation_sections
    except AttributeError:
        pass
    key = f"nav-sections:{generation_for(request)}"
    here = caches["cards"]
    sections = here.get(key)
    if sections is None:
        sections = [
            {"pk": s.pk, "name": s.name, "slug": s.slug, "url": s.get_absolute_url()}
            for s in Section.objects.only("name", "slug")
        ]
        here.set(key, sections, None)
    if request is not None:
        request.navigation_sections = sections
    return sections


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        # The header's and footer's links, without a reverse() each.
        "site_paths": site_paths(),
        # Lazy: a page without the navigation reads nothing.
        "nav_sections": partial(navigation_sections, request),
    }
