"""Matching records to stored articles, and telling what changed.

A record is matched on Article.source_uri. `source_checksum` is a hash of the
article's content as the importer last wrote it: a record whose content hashes
to it is unchanged, and an article whose content no longer hashes to it has
been edited since it was imported, so nothing of the source's is written over
it.
"""

import hashlib
import json

from articles import publishing
from articles.models import Article, ArticleTag, Byline
from articles.publishing import byline_rows

EDITED_LOCALLY = (
    "edited locally since it was imported; the source's changes were not applied"
)


def checksum(state):
    """The hash stored in Article.source_checksum."""
    data = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def article_state(article, author_ids, tag_ids, image_uri):
    state = {
        "headline": article.headline,
        "kicker": article.kicker,
        "deck": article.deck,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at.isoformat()
        if article.published_at
        else None,
        "section": article.section_id,
        "credit": article.credit,
        "language": article.language,
        "canonical_url": article.canonical_url,
        "authors": [
            pk if (role, suffix) == (Byline.Role.WRITER, "") else [pk, role, suffix]
            for pk, role, suffix in byline_rows(author_ids)
        ],
        "tags": sorted(tag_ids),
        "image": image_uri or "",
        # Only when there is one, so articles imported before datelines were
        # read keep their checksums.
        **(
            {
                "dateline": [
                    article.dateline_place,
                    article.dateline_date,
                    article.dateline_source,
                ]
            }
            if article.dateline_place
            else {}
        ),
    }
    if article.embargoed_until:
        # Only when there is one: stories stored before embargoes were kept
        # keep their checksums, and re-import as unchanged.
        state["embargoed_until"] = article.embargoed_until.isoformat()
    return state


def current_state(article):
    """The state of a stored article, as `article_state` hashes it."""
    author_ids = [
        publishing.BylineRow(*row)
        for row in Byline.objects.filter(article=article)
        .order_by("position", "pk")
        .values_list("author_id", "role", "suffix")
    ]
    tag_ids = list(
        ArticleTag.objects.filter(content_object=article).values_list(
            "tag_id", flat=True
        )
    )
    image_uri = article.hero_image.source_uri if article.hero_image_id else ""
    return article_state(article, author_ids, tag_ids, image_uri)


def edited_locally(article):
    return checksum(current_state(article)) != article.source_checksum


def known(records):
    """{source_uri: (pk, source_checksum, published_at, hero image uri)} of the
    records' stored articles, in one query."""
    uris = {record.source_uri for record in records}
    if not uris:
        return {}
    rows = Article.objects.filter(source_uri__in=uris).values_list(
        "source_uri",
        "pk",
        "source_checksum",
        "published_at",
        "hero_image__source_uri",
    )
    return {uri: rest for uri, *rest in rows}


def stored(record):
    """The article a record was imported as, or None; failing that, the one it
    replaces (a newer version of a story under a new identity, ninjs
    `replacing`): the latest imported of those."""
    articles = Article.objects.select_related("hero_image")
    found = articles.filter(source_uri=record.source_uri).first()
    if found is None and record.replaces:
        found = articles.filter(source_uri__in=record.replaces).order_by("-pk").first()
    return found
