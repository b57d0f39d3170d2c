"""`{% site_footer %}`: the footer, rendered once per content generation and year.

The footer shows the site's name, its sections, its fixed addresses and the
year: the same on every page until a section changes (which moves the content
generation) or the year turns. Each process keeps its HTML in the `cards`
cache, under what a card's key has of the page (articles/card_cache.py), so
a page does not walk the sections again.
"""

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone

from ..card_cache import kept, page_setting

register = template.Library()

TEMPLATE = "includes/footer.html"


@register.simple_tag(takes_context=True)
def site_footer(context):
    request = getattr(context, "request", None)
    if request is None:  # no context processors: not the footer pages show
        return get_template(TEMPLATE).template.render(context)
    return kept(
        context,
        TEMPLATE,
        settings.SITE_NAME,
        timezone.localdate().year,
        page_setting(request),
    )
