"""The public site: each view picks a queryset through `published()` and a template.

Views whose pages are the same for every reader say so with
`cache_control(public=True)`; the delivery app caches those (and only those).
Staff previews of unpublished articles are editorial's (articles/editorial).
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.text import Truncator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import bylines as byline_rules
from . import picture_rights, structured_data
from .card_cache import card_rows
from .context_processors import navigation_sections
from .live_views import live_blog, live_url
from .models import (
    Article,
    ArticleTag,
    Author,
    Byline,
    Correction,
    Section,
    Tag,
    TagRedirect,
)
from .models.article import bylines_with_authors
from .pagination import listing_page, paginate
from .prepared import PreparedQuery, keep_prefetched
from .related_pages import related_for_page
from .search import CANDIDATES, clean_query, find_articles
from .search_results import result_cards

HOME_LATEST = 13
RAIL_SIZE = 4


@require_safe
@cache_control(public=True)
def home(request):
    # The lead and the cards are kept like a listing's: read as ids and versions.
    latest = card_rows(
        Article.objects.published().values_list("pk", "version")[:HOME_LATEST]
    )
    return render(
        request,
        "articles/home.html",
        {
            "lead": latest[0] if latest else None,
            "articles": latest[1:],
            "rails": section_rails(request, exclude=[row.pk for row in latest]),
        },
    )


def section_rails(request, exclude):
    """[(section, its newest articles' `CardRow`s)], in section order, skipping
    `exclude`; each section is the navigation's {"pk", "name", "slug", "url"}.

    One UNION of per-section `LIMIT` queries, each a short walk down the
    (section, status, published_at) index, however large the archive.
    """
    sections = navigation_sections(request)
    if not sections:
        return []
    rows = (
        Article.objects.filter(
            pk__in=newest_per_section([s["pk"] for s in sections], exclude)
        )
        .order_by("-published_at", "-pk")
        .values_list("section_id", "pk", "version")
    )
    by_section = {}
    for section_id, *row in rows:
        by_section.setdefault(section_id, []).append(row)
    rails = card_rows(row for s in sections for row in by_section.get(s["pk"], []))
    shown, start = [], 0
    for section in sections:
        count = len(by_section.get(section["pk"], []))
        if count:
            shown.append((section, rails[start : start + count]))
        start += count
    return shown


ANY_SECTION = -1  # stands for each section's id in the one compiled part


def newest_per_section(section_ids, exclude):
    """The ids of each section's RAIL_SIZE newest live articles, as a subquery.

    Each part of the UNION is the same query but for the section, so it is
    compiled once (compiling twelve nested querysets cost more than running
    them) and repeated with each section's id in its parameters. Each part
    sits inside an unsliced SELECT: SQLite allows no LIMIT or ORDER BY directly
    in the parts of a UNION.
    """
    part = (
        Article.objects.published()
        .exclude(pk__in=exclude)
        .filter(section=ANY_SECTION)
        .values("pk")[:RAIL_SIZE]
    )
    sql, params = part.query.sql_with_params()
    at = params.index(ANY_SECTION)
    parts, all_params = [], []
    for n, section_id in enumerate(section_ids):
        parts.append(f"SELECT * FROM ({sql}) AS rail_{n}")
        all_params += [*params[:at], section_id, *params[at + 1 :]]
    return RawSQL(" UNION ALL ".join(parts), all_params)


ARTICLE_JOINS = ("section", "hero_image", "live_coverage")


def article_queryset():
    return Article.objects.select_related(*ARTICLE_JOINS).prefetch_related(
        bylines_with_authors(),
        Prefetch(
            "tagged_items",
            queryset=ArticleTag.objects.select_related("tag").order_by("pk"),
        ),
        "corrections",  # on the page, in its JSON-LD and in ninjs
    )


# The article page's reads, each compiled once (articles/prepared.py): the
# published article at a slug (and whether it has corrections: most stories
# have none, and are spared the query), then what article_queryset()
# prefetches for it.
PUBLISHED_ARTICLE = PreparedQuery(
    Article,
    lambda slug, now: (
        Article.objects.select_related(*ARTICLE_JOINS)
        .published(now=now)
        .filter(slug=slug)
        .annotate(
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk")))
        )[:1]
    ),
    slug=str,
    now=datetime,
)
ARTICLE_PARTS = {
    "bylines": PreparedQuery(
        Byline,
        lambda pk: Byline.objects.select_related("author").filter(article=pk),
        pk=int,
    ),
    "tagged_items": PreparedQuery(
        ArticleTag,
        lambda pk: (
            ArticleTag.objects.select_related("tag")
            .filter(content_object=pk)
            .order_by("pk")
        ),
        pk=int,
    ),
}
CORRECTIONS = PreparedQuery(
    Correction, lambda pk: Correction.objects.filter(article=pk), pk=int
)


def published_article(slug):
    """`article_queryset().published().filter(slug=slug).first()`, in three
    queries compiled once each (four for a story with corrections)."""
    found = PUBLISHED_ARTICLE(slug=slug, now=timezone.now())
    if not found:
        return None
    article = found[0]
    for name, query in ARTICLE_PARTS.items():
        keep_prefetched(article, name, query(pk=article.pk))
    corrections = CORRECTIONS(pk=article.pk) if article.has_corrections else []
    keep_prefetched(article, "corrections", corrections)
    return article


@require_safe
@cache_control(public=True)
def article_detail(request, year, month, day, slug):
    article = published_article(slug)
    if article is None:
        return missing_article(request, slug)
    if request.path != uri_to_iri(article.get_absolute_url()):
        return redirect(article, permanent=True)
    return render_article(request, article)


def missing_article(request, slug):
    """No live article here: 410 for a withdrawn story, 301 for an address a
    live article used to have, else 404 (drafts and scheduled stories too)."""
    withdrawn = Article.objects.filter(
        slug=slug, status=Article.Status.WITHDRAWN
    ).first()
    if withdrawn is not None:
        return render(
            request,
            "articles/article_withdrawn.html",
            {"article": withdrawn},
            status=410,
        )
    moved = Article.objects.published().filter(redirects__old_path=request.path)
    article = moved.only("slug", "published_at").first()
    if article is None:
        raise Http404("No such article.")
    return redirect(article, permanent=True)


def render_article(request, article, preview=False):
    """The article page; editorial shows unpublished ones with `preview`.

    What the page says more than once (its title, description and times, the
    JSON-LD's address) is worked out here, once.
    """
    bylines = list(article.bylines.all())
    writers = [b.author for b in byline_rules.writers(bylines)]
    contributors = byline_rules.contributors(bylines)
    tags = [item.tag for item in article.tagged_items.all()]
    live = live_blog(article, poll=not preview)
    updated = structured_data.updated_time(article)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "title": article.seo_title or article.headline,
            "description": Truncator(article.seo_description or article.deck).chars(
                300
            ),
            "published": (
                structured_data.published_iso(article) if article.published_at else ""
            ),
            "updated": updated,
            "updated_iso": timezone.localtime(updated).isoformat() if updated else "",
            "article_data": structured_data.news_article(
                article, writers, tags, contributors, live
            ),
            # Pictures whose rights have expired are left out of the body.
            "shown_body": picture_rights.without_expired(article.body),
            "bylines": bylines,
            "tags": tags,
            "related": related_for_page(article),
            "preview": preview,
            "live": live,
            "live_url": live_url(article) if live else None,
        },
    )


@require_safe
@cache_control(public=True)
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = Article.objects.published().filter(section=section)
    page = listing_page(request, articles.values_list("pk", "version"))
    page.object_list = card_rows(page.object_list)
    return render(
        request, "articles/section_detail.html", {"section": section, "page_obj": page}
    )


@require_safe
@cache_control(public=True)
def tag_detail(request, slug):
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        # A merged or renamed tag's old address points to the surviving tag.
        moved = TagRedirect.objects.select_related("tag").filter(old_slug=slug).first()
        if moved is None:
            raise Http404("No such tag.")
        return redirect(moved.tag, permanent=True)
    articles = Article.objects.published().tagged(tag)
    page = listing_page(request, articles.values_list("pk", "version"))
    if not page.object_list:
        # A tag used only on unpublished articles is no different from none.
        raise Http404("No such tag.")
    page.object_list = card_rows(page.object_list)
    return render(request, "articles/tag_detail.html", {"tag": tag, "page_obj": page})


@require_safe
@cache_control(public=True)
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().by_author(author)
    # The role is the author's byline's: the join the filter made.
    page = listing_page(request, articles.values_list("pk", "version", "bylines__role"))
    if not page.object_list:
        # An author with nothing published yet is no different from none: an
        # embargoed story's byline stays unknown until the story is out.
        raise Http404("No such author.")
    page.object_list = card_rows(
        (pk, version, byline_rules.role_badge(role))
        for pk, version, role in page.object_list
    )
    return render(
        request, "articles/author_detail.html", {"author": author, "page_obj": page}
    )


@require_safe
def search(request):
    query = clean_query(request.GET.get("q"))
    page = None
    if query:
        rows, total = find_articles(query)
        page = paginate(request, rows, count=total)
        page.object_list = result_cards(page.object_list, query)
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "page_obj": page,
            # PostgreSQL ranks the newest CANDIDATES matches: say so.
            "newest_only": page is not None and page.paginator.count >= CANDIDATES,
        },
    )
