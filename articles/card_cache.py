"""Story cards rendered once per article version, kept in each process's memory.

The home page shows some sixty story cards and a listing twenty: rendering
them was most of an uncached page's time. A card is the same HTML for as long
as what it shows is the same, so its HTML is kept (the `cards` cache) under:

- the article's id and `version`, which every save of the article moves
  (a headline, a byline, a picture or a date changed through the write path);
- the content generation (articles/freshness.py), which every other write a
  card shows moves (a section or an author renamed, a picture edited or its
  renditions made, its rights expired, an import);
- the card's options (variant, byline, section, snippet, role badge, ...) and
  what else its HTML depends on: the script prefix, URLconf, language and
  time zone.

Which articles get a card is not the cache's business: the view's queryset
(`published()`) decides, so a withdrawn, embargoed or draft story is never
shown from here. A card whose article was loaded without its version (a
queryset that left it out) is rendered every time, and so is a search
result's (its snippet is the query's).
"""

from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation

from .freshness import generation_for
from .models.article import bylines_with_authors

TEMPLATE = "includes/article_card.html"


def bylines_when_shown(articles):
    """Load the bylines of `articles` (a page's) only if a card showing one
    has to be rendered: then for all of them, in one query. A page whose cards
    are all kept reads none."""
    for article in articles:
        article.card_neighbours = articles


def render(context, article, options):
    neighbours = getattr(article, "card_neighbours", None)
    if neighbours and options.get("with_byline"):
        prefetch_related_objects(neighbours, bylines_with_authors())
    values = {"article": article, **options}
    return get_template(TEMPLATE).template.render(context.new(values))


def render_card(context, article, options):
    """The card of `article` with `options` (the template's variables)."""
    if options.get("snippet") or "version" in article.get_deferred_fields():
        return render(context, article, options)
    key = ":".join(
        map(
            str,
            (
                "card",
                article.pk,
                article.version,
                generation_for(getattr(context, "request", None)),
                getattr(article, "role_badge", ""),
                sorted(options.items()),
                get_script_prefix(),
                get_urlconf(),
                translation.get_language(),
                timezone.get_current_timezone_name(),
            ),
        )
    )
    cards = caches["cards"]
    html = cards.get(key)
    if html is None:
        html = render(context, article, options)
        cards.set(key, html, None)
    return html
