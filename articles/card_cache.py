"""Story cards rendered once per article version, kept in each process's memory.

The home page shows some sixty story cards and a listing twenty: rendering
them was most of an uncached page's time. A card is the same HTML for as long
as what it shows is the same, so its HTML is kept (the `cards` cache) under:

- the article's id and `version`, which every save of the article moves
  (a headline, a byline, a picture or a date changed through the write path);
- the content generation (articles/freshness.py), which every other write a
  card shows moves (a section or an author renamed, a picture edited or its
  renditions made, its rights expired, an import);
- the card's options (variant, byline, section, role badge, the
  template when it is not the story card's: the home page's lead) and
  what else its HTML depends on: the script prefix, URLconf, language and
  time zone.

Which articles get a card is not the cache's business: the view's queryset
(`published()`) decides, so a withdrawn, embargoed or draft story is never
shown from here. A card whose article was loaded without its version (a
queryset that left it out) is rendered every time. A search result's card is
kept without its snippet (the query's), which is put in its place each time.

Listings and the home page's rails read only each card's id and version
(`card_rows`): building sixty articles with their sections and pictures cost
more than the kept cards saved. A page's articles are loaded, all at once,
only when one of its cards is not kept.
"""

from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from .freshness import generation_for
from .models import Article, bylines_with_authors

TEMPLATE = "includes/article_card.html"


class CardRow:
    """A card of a page before its article is loaded: the id and version its
    key needs, and the role badge (the author page's) it shows."""

    def __init__(self, pk, version, role_badge="", *, page):
        self.pk = pk
        self.version = version
        self.role_badge = role_badge
        self.page = page
        self.article = None

    def load(self, with_byline):
        """The article, loaded with the rest of the page's in one query (and
        their bylines in one more if the card shows one). Loaded through
        `published()` again: a story withdrawn since the page's query is None."""
        if self.article is None:
            missing = [row for row in self.page if row.article is None]
            found = (
                Article.objects.published()
                .for_cards()
                .in_bulk([row.pk for row in missing])
            )
            for row in missing:
                row.article = found.get(row.pk)
                if row.article is not None:
                    row.article.role_badge = row.role_badge
        if with_byline and self.article is not None:
            loaded = [row.article for row in self.page if row.article is not None]
            prefetch_related_objects(loaded, bylines_with_authors())
        return self.article


def card_rows(rows):
    """`CardRow`s of `rows` ((id, version) or (id, version, role badge)), one
    page whose articles are loaded together."""
    page = []
    page.extend(CardRow(*row, page=page) for row in rows)
    return page


def render(context, article, options):
    values = {"article": article, **options}
    template = get_template(options.get("template", TEMPLATE)).template
    return template.render(context.new(values))


def page_setting(request):
    """The part of a card's key that is the page's, not the card's: the content
    generation, script prefix, URLconf, language and time zone, worked out
    once per `request` (a listing shows twenty cards, the home page sixty)."""
    try:
        return request.card_setting
    except AttributeError:
        pass
    setting = (
        generation_for(request),
        get_script_prefix(),
        get_urlconf(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    if request is not None:
        request.card_setting = setting
    return setting


def kept(context, template_name, *parts):
    """`template_name` rendered with `context`, kept in this process's memory
    under what it shows, `parts` (the page's setting among them), until the
    content generation moves: the header and footer every page repeats."""
    key = ":".join(map(str, (template_name, *parts)))
    cards = caches["cards"]
    html = cards.get(key)
    if html is None:
        html = get_template(template_name).template.render(context)
        cards.set(key, html, None)
    return mark_safe(html)


# Where a search result's snippet goes in its kept card: markup no article's
# text can hold, the card's text being escaped.
SNIPPET_SLOT = mark_safe("<snippet-slot>")


def render_card(context, article, options):
    """The card of `article` (an Article or a `CardRow`) with `options` (the
    template's variables)."""
    snippet = options.get("snippet")
    if not snippet:
        return kept_card(context, article, options)
    # The query's: the card is kept without it.
    html = kept_card(context, article, {**options, "snippet": SNIPPET_SLOT})
    return html.replace(SNIPPET_SLOT, snippet)


def kept_card(context, article, options):
    row = isinstance(article, CardRow)
    if not row and "version" in article.get_deferred_fields():
        return render(context, article, options)
    key = ":".join(
        map(
            str,
            (
                "card",
                article.pk,
                article.version,
                getattr(article, "role_badge", ""),
                sorted(options.items()),
                page_setting(getattr(context, "request", None)),
            ),
        )
    )
    cards = caches["cards"]
    html = cards.get(key)
    if html is None:
        shown = article.load(options.get("with_byline")) if row else article
        if shown is None:
            return ""
        html = render(context, shown, options)
        if shown.version == article.version:  # else changed since the page's query
            cards.set(key, html, None)
    return html
