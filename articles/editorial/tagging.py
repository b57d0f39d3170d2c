"""Tag hygiene: merging tags and renaming them, old addresses kept alive.

A merged or renamed tag's old slug is stored as a TagRedirect, so its old
address answers 301 with the surviving tag's page. A merged tag's name is kept
as a TagAlias of the survivor, so an import or an editor spelling it again
gets the survivor rather than the merged tag back.
"""

from django.db import transaction

from articles import publishing
from articles.models import Article, ArticleTag, Tag, TagAlias, TagRedirect


def keep_old_address(old_slug, tag):
    """Make `old_slug` redirect to `tag`; a slug in use by a tag is not redirected."""
    TagRedirect.objects.filter(old_slug=tag.slug).delete()
    if old_slug != tag.slug and not Tag.objects.filter(slug=old_slug).exists():
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": tag})


def free_slug(tag):
    """A slug for the tag's (new) name that no other tag uses."""
    base = tag.slugify(tag.name)
    slug, i = base, 1
    while Tag.objects.filter(slug=slug).exclude(pk=tag.pk).exists():
        slug = tag.slugify(tag.name, i)
        i += 1
    return slug


def keep_names(sources, target):
    """The names of `sources` (and their own aliases) become aliases of `target`."""
    TagAlias.objects.filter(tag__in=sources).update(tag=target)
    for tag in sources:
        TagAlias.objects.update_or_create(
            key=tag.key, defaults={"name": tag.name, "tag": target}
        )
    # A tag merged back into one of its aliases: its own name is no alias.
    TagAlias.objects.filter(key=target.key).delete()


def merge_tags(sources, target):
    """Re-tag every article of `sources` with `target`, then delete `sources`.

    Returns the number of articles re-tagged. Related links of the affected
    published articles are recomputed by a task once the merge commits.
    """
    sources = [tag for tag in sources if tag.pk != target.pk]
    if not sources:
        return 0
    with transaction.atomic():
        # Each article's publication time, kept on its tag rows (the order of
        # the tag's page), goes to its new row.
        affected = dict(
            ArticleTag.objects.filter(tag__in=sources).values_list(
                "content_object_id", "published_at"
            )
        )
        already = set(
            ArticleTag.objects.filter(
                tag=target, content_object_id__in=affected
            ).values_list("content_object_id", flat=True)
        )
        ArticleTag.objects.filter(tag__in=sources).delete()
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object_id=pk, tag=target, published_at=affected[pk])
            for pk in sorted(affected.keys() - already)
        )
        TagRedirect.objects.filter(tag__in=sources).update(tag=target)
        keep_names(sources, target)
        old_slugs = [tag.slug for tag in sources]
        Tag.objects.filter(pk__in=[tag.pk for tag in sources]).delete()
        for slug in old_slugs:
            keep_old_address(slug, target)
        publishing.articles_changed(
            Article.objects.filter(
                pk__in=affected, status=Article.Status.PUBLISHED
            ).values_list("pk", flat=True),
            pages={"tags": old_slugs},
        )
    return len(affected)
