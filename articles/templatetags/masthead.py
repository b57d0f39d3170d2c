"""`{% masthead %}`: the header, rendered once per day, content generation and
current section.

The header shows the date, the site's name, its search form and the
sections, the current one marked: the same on every page of a section (and
on every story of it) until a section changes (which moves the content
generation) or the day turns. Each process keeps its HTML in the `cards`
cache, under what a card's key has of the page (articles/card_cache.py), so
a page does not walk the sections again. A search page's header shows the
query in its search box: it is kept without it, and the query put in its
place.
"""

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..card_cache import kept, page_setting

register = template.Library()

TEMPLATE = "includes/header.html"

# What the header's template reads of the page besides the site's values.
PAGE_VARIABLES = [
    template.Variable(name)
    for name in ("request.resolver_match.url_name", "section.slug", "section")
]
ARTICLE_SECTION = template.Variable("article.section.slug")


def resolved(variable, context):
    """`variable` as the template sees it: None if it is not there."""
    try:
        return variable.resolve(context)
    except template.VariableDoesNotExist:
        return None


# Where a search page's query goes in its kept header: markup none of the
# header's values can hold, each being escaped.
QUERY_SLOT = mark_safe("<query-slot>")


@register.simple_tag(takes_context=True)
def masthead(context):
    request = getattr(context, "request", None)
    if request is None:
        return get_template(TEMPLATE).template.render(context)
    url_name, section_slug, section = (resolved(v, context) for v in PAGE_VARIABLES)
    query = context.get("query")
    with context.push(query=QUERY_SLOT if query else ""):
        html = kept(
            context,
            TEMPLATE,
            settings.SITE_NAME,
            timezone.localdate(),
            page_setting(request),
            url_name == "home",
            section_slug or "",
            bool(section),
            resolved(ARTICLE_SECTION, context) or "",
            bool(query),
        )
    return mark_safe(html.replace(QUERY_SLOT, escape(query))) if query else html
