"""The public site: each view picks a queryset through `published()` and a template.

Views whose pages are the same for every reader say so with
`cache_control(public=True)`; the delivery app caches those (and only those).
Staff previews of unpublished articles are editorial's (articles/editorial).
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
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
    bylines_with_authors,
)
from .pagination import listing_page, paginate
from .prepared import PreparedQuery, PreparedRows, keep_prefetched
from .related_pages import related_for_page
from .search import CANDIDATES, clean_query, find_articles
from .search_results import result_cards

HOME_LATEST = 13
RAIL_SIZE = 4


# The home page's reads, compiled once (articles/prepared.py): the newest
# stories' ids and versions, and each section's newest, which are enough for
# its rail whatever the newest stories above took.
HOME_LATEST_ROWS = PreparedRows(
    Article,
    lambda now: Article.objects.published(now=now).values_list("pk", "version")[
        :HOME_LATEST
    ],
    now=datetime,
)
SECTION_NEWEST = PreparedRows(
    Article,
    lambda now, section: (
        Article.objects.published(now=now)
        .filter(section=section)
        .values_list("section_id", "pk", "version", "published_at")[
            : RAIL_SIZE + HOME_LATEST
        ]
    ),
    now=datetime,
    section=int,
)


@require_safe
@cache_control(public=True)
def home(request):
    # The lead and the cards are kept like a listing's: read as ids and versions.
    now = timezone.now()
    latest = card_rows(HOME_LATEST_ROWS(now=now))
    return render(
        request,
        "articles/home.html",
        {
            "lead": latest[0] if latest else None,
            "articles": latest[1:],
            "rails": section_rails(request, now, exclude={row.pk for row in latest}),
        },
    )


def section_rails(request, now, exclude):
    """[(section, its newest articles' `CardRow`s)], in section order, skipping
    `exclude`; each section is the navigation's {"pk", "name", "slug", "url"}.

    One UNION of per-section `LIMIT` queries, each a short walk down the
    (section, status, published_at) index, however large the archive, newest
    first across them all.
    """
    sections = navigation_sections(request)
    if not sections:
        return []
    rows = SECTION_NEWEST.union(
        [{"now": now, "section": s["pk"]} for s in sections],
        order_by=" ORDER BY 4 DESC, 2 DESC",
    )
    by_section = {}
    for section_id, pk, version, _ in rows:
        shown = by_section.setdefault(section_id, [])
        if pk not in exclude and len(shown) < RAIL_SIZE:
            shown.append((pk, version))
    rails = card_rows(row for s in sections for row in by_section.get(s["pk"], []))
    shown, start = [], 0
    for section in sections:
        count = len(by_section.get(section["pk"], []))
        if count:
            shown.append((section, rails[start : start + count]))
        start += count
    return shown


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


# The listing pages' reads, compiled once: the section, tag or author at a
# slug, then a page of its live stories' ids and versions (and, on an author's
# page, the author's role on each).
SECTION_AT = PreparedQuery(
    Section, lambda slug: Section.objects.filter(slug=slug)[:1], slug=str
)
TAG_AT = PreparedQuery(Tag, lambda slug: Tag.objects.filter(slug=slug)[:1], slug=str)
AUTHOR_AT = PreparedQuery(
    Author, lambda slug: Author.objects.filter(slug=slug)[:1], slug=str
)
SECTION_ROWS = PreparedRows(
    Article,
    lambda pk, now: (
        Article.objects.published(now=now)
        .filter(section=pk)
        .values_list("pk", "version")
    ),
    pk=int,
    now=datetime,
)
TAG_ROWS = PreparedRows(
    Article,
    lambda pk, now: (
        Article.objects.published(now=now).tagged(pk).values_list("pk", "version")
    ),
    pk=int,
    now=datetime,
)
AUTHOR_ROWS = PreparedRows(
    Article,
    lambda pk, now: (
        Article.objects.published(now=now)
        .by_author(pk)
        # The role is the author's byline's: the join the filter made.
        .values_list("pk", "version", "bylines__role")
    ),
    pk=int,
    now=datetime,
)


def found_at(prepared, slug, what):
    found = prepared(slug=slug)
    if not found:
        raise Http404(f"No such {what}.")
    return found[0]


@require_safe
@cache_control(public=True)
def section_detail(request, slug):
    section = found_at(SECTION_AT, slug, "section")
    page = listing_page(request, SECTION_ROWS.bind(pk=section.pk, now=timezone.now()))
    page.object_list = card_rows(page.object_list)
    return render(
        request, "articles/section_detail.html", {"section": section, "page_obj": page}
    )


@require_safe
@cache_control(public=True)
def tag_detail(request, slug):
    tag = next(iter(TAG_AT(slug=slug)), None)
    if tag is None:
        # A merged or renamed tag's old address points to the surviving tag.
        moved = TagRedirect.objects.select_related("tag").filter(old_slug=slug).first()
        if moved is None:
            raise Http404("No such tag.")
        return redirect(moved.tag, permanent=True)
    page = listing_page(request, TAG_ROWS.bind(pk=tag.pk, now=timezone.now()))
    if not page.object_list:
        # A tag used only on unpublished articles is no different from none.
        raise Http404("No such tag.")
    page.object_list = card_rows(page.object_list)
    return render(request, "articles/tag_detail.html", {"tag": tag, "page_obj": page})


@require_safe
@cache_control(public=True)
def author_detail(request, slug):
    author = found_at(AUTHOR_AT, slug, "author")
    page = listing_page(request, AUTHOR_ROWS.bind(pk=author.pk, now=timezone.now()))
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
