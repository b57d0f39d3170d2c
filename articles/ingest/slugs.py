"""Slugs for new articles: the headline's, or the lowest free `-N` after it."""

from django.utils.text import slugify

from articles.models import Article


def slug_base(headline):
    slug = slugify(headline or "untitled", allow_unicode=True)
    return slug[:180].strip("-") or "article"


def free_slug(base, taken=()):
    """`base`, or `base-N` with the lowest N free (and not in `taken`)."""
    if base not in taken and not Article.objects.filter(slug=base).exists():
        return base
    taken = set(taken) | set(
        Article.objects.filter(slug__startswith=f"{base}-").values_list(
            "slug", flat=True
        )
    )
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def assign_slugs(articles):
    """Give new articles free slugs, one query for the lot (and one more for
    each whose slug is taken)."""
    bases = [slug_base(a.headline) for a in articles]
    taken = set(
        Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True)
    )
    for article, base in zip(articles, bases, strict=True):
        article.slug = base if base not in taken else free_slug(base, taken)
        taken.add(article.slug)
