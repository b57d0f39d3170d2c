"""The newsroom's data: authors, sections, images, tags and articles.

`Article.objects.published()` is the only door to the public: every reader
surface (pages, feeds, sitemaps, search, related links, the API) goes through it.
One module per subject; everything is importable from `articles.models`.
"""

from .article import Article, ArticleRedirect, Byline, PendingWork, RelatedLink
from .catalogue import Author, Section
from .history import Correction, Revision
from .image import Image
from .live import LiveCoverage, LiveEntry
from .querysets import ArticleQuerySet, bylines_with_authors, published_condition
from .tags import (
    MAX_TAGS_PER_ARTICLE,
    TAG_NAME_LENGTH,
    ArticleTag,
    Tag,
    TagAlias,
    TagManager,
    TagRedirect,
    better_tag_name,
    check_tag_names,
    clean_tag_name,
    find_tags,
    get_or_create_tag,
    normal_tag_name,
    quoted,
    respell_tags,
    tag_key,
    too_long,
)
from .words import RelatedWord

__all__ = [
    "MAX_TAGS_PER_ARTICLE",
    "TAG_NAME_LENGTH",
    "Article",
    "ArticleQuerySet",
    "ArticleRedirect",
    "ArticleTag",
    "Author",
    "Byline",
    "Correction",
    "Image",
    "LiveCoverage",
    "LiveEntry",
    "PendingWork",
    "RelatedLink",
    "RelatedWord",
    "Revision",
    "Section",
    "Tag",
    "TagAlias",
    "TagManager",
    "TagRedirect",
    "check_tag_names",
    "clean_tag_name",
    "better_tag_name",
    "bylines_with_authors",
    "find_tags",
    "get_or_create_tag",
    "normal_tag_name",
    "published_condition",
    "quoted",
    "respell_tags",
    "tag_key",
    "too_long",
]
