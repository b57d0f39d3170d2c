"""Article -> IPTC ninjs (News in JSON) 2.x, for the API and the export.

The API and export files share this one mapping, so they never disagree. The
other direction (reading ninjs files) is the ingest app's.
"""

from datetime import UTC

from django.conf import settings

PUBSTATUS_FROM_STATUS = {
    "published": "usable",
    "draft": "withheld",
    "review": "withheld",
    "withdrawn": "canceled",
}


def byline_text(names):
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def ninjs_uri(article):
    return article.source_uri or f"urn:newsroom:article:{article.pk}"


def iso(value):
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def article_to_ninjs(article):
    """A ninjs 2.x object for an article (expects bylines and tags prefetched)."""
    authors = [byline.author.name for byline in article.bylines.all()]
    data = {
        "uri": ninjs_uri(article),
        "standard": {"name": "ninjs", "version": "2.0"},
        "type": "text",
        "versioncreated": iso(article.updated_at),
        "firstcreated": iso(article.created_at),
        "pubstatus": PUBSTATUS_FROM_STATUS.get(article.status, "withheld"),
        "language": article.language,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": article.body}],
        "subjects": [{"name": tag.name} for tag in article.tags.all()],
        "genres": [{"name": article.section.name}],
        "slugline": article.slug,
        "webpage": settings.SITE_URL + article.get_absolute_url(),
    }
    if article.published_at:
        data["firstpublished"] = iso(article.published_at)
    if article.deck:
        data["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": article.deck}
        ]
    if authors:
        data["by"] = byline_text(authors)
    if article.credit:
        data["copyrightholder"] = article.credit
    image = article.hero_image
    if image:
        renditions = list(image.renditions or [])
        if image.file:
            renditions.insert(
                0,
                {
                    "name": "original",
                    "href": settings.SITE_URL + image.file.url,
                    "width": image.width,
                    "height": image.height,
                },
            )
        data["associations"] = [
            {
                "name": "featureimage",
                "type": "picture",
                "uri": image.source_uri or f"urn:newsroom:image:{image.pk}",
                "headlines": [{"role": "main", "value": image.alt}],
                "descriptions": [{"role": "caption", "value": image.caption}],
                "by": image.credit,
                "renditions": renditions,
            }
        ]
    return {k: v for k, v in data.items() if v not in (None, "", [])}
