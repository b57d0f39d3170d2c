"""Recording what an edge cache must purge after a write.

Every public page an edge cache (Varnish, Fastly, Cloudflare) keeps is tagged
with what it shows; after a write, the pages that showed the article before
and those that will show it after must be purged. What they will show is read
when the purge is done; what they showed is only known before the write, so
the write path reads it here (`shown`) and records it with the purge
(`record_purge`, a `PendingWork` in the write's transaction). A scheduled
story gets a second record, due at its time: the sweeper hands it to the
queue when the story goes live (articles/tasks.py).

The delivery app does the purges and registers their task with core; core
only records the work, and only while an app wants it (`tasks.is_wanted`):
without an edge cache or a page cache, writes record nothing and read nothing
more. The same records say which of the origin's cached pages a write retires
(`pages_changed`, freshness.articles_changed).
"""

from .freshness import articles_changed
from .models import Article, ArticleTag, Byline, PendingWork, published_condition
from .tasks import is_wanted, record

Kind = PendingWork.Kind


def wanted():
    return is_wanted(Kind.PURGE)


def shown(article_ids):
    """{pk: what its pages show} of the live articles among `article_ids`: the
    slugs of the article, its section, tags and authors. Three queries."""
    live = dict(
        Article.objects.filter(published_condition(), pk__in=article_ids).values_list(
            "pk", "slug"
        )
    )
    if not live:
        return {}
    found = {
        pk: {"article": slug, "section": None, "tags": [], "authors": []}
        for pk, slug in live.items()
    }
    for pk, section in Article.objects.filter(pk__in=live).values_list(
        "pk", "section__slug"
    ):
        found[pk]["section"] = section
    for pk, tag in ArticleTag.objects.filter(content_object_id__in=live).values_list(
        "content_object_id", "tag__slug"
    ):
        found[pk]["tags"].append(tag)
    for pk, author in Byline.objects.filter(article_id__in=live).values_list(
        "article_id", "author__slug"
    ):
        found[pk]["authors"].append(author)
    return found


def before(article_ids):
    """`shown(article_ids)` if purges are wanted, else nothing (no query)."""
    ids = [pk for pk in article_ids if pk is not None]
    return shown(ids) if ids and wanted() else {}


def record_purge(articles, before_write=None, *, pages=None):
    """Record the purge of the pages that show `articles` (saved Article
    objects), given what they showed `before_write` (`before`), and enqueue it
    once the transaction commits; a scheduled one gets a second record, due
    when it goes live. `pages` adds what is not an article's (the navigation
    after a section edit: {"nav": True, "sections": [slug]}; an author's
    pages after a rename: {"authors": [slug]}).

    Articles neither live before nor live or scheduled now are left out: no
    page showed them or will.
    """
    if not wanted():
        return []
    before_write = before_write or {}
    work = []
    for article in articles:
        was = before_write.get(article.pk)
        if was is not None or article.is_live:
            work.append(PendingWork(kind=Kind.PURGE, article=article, shown=was or {}))
        if article.is_scheduled:
            work.append(
                PendingWork(
                    kind=Kind.PURGE,
                    article=article,
                    due_at=article.published_at,
                    queued_at=None,
                )
            )
    if pages:
        work.append(PendingWork(kind=Kind.PURGE, shown=pages))
    return record(work)


def pages_changed(articles, before_write=None, *, pages=None):
    """Record the purge of the pages that show `articles` (`record_purge`) and
    retire the origin's cached copies of them, now and on commit."""
    was = before_write or {}
    records = [(article.pk, was.get(article.pk) or {}) for article in articles]
    if pages:
        records.append((None, pages))
    # First: once the write commits, the pages are retired before the purge's
    # task (which renders them again) is handed to the queue.
    articles_changed(records)
    record_purge(articles, before_write, pages=pages)


def record_purge_of(article_ids, *, pages=None):
    """Record the purge of live articles changed in place by a write that is
    not the write path's own (a tag merge), with `pages` besides."""
    if not wanted():
        return []
    articles = Article.objects.filter(published_condition(), pk__in=list(article_ids))
    return record_purge(articles.only("status", "published_at"), pages=pages)
