"""Plain factories: `make_article(headline=..., tags=[...], authors=[...])`."""

import io
import itertools
from datetime import timedelta

from django.utils import timezone
from PIL import Image as PILImage

from articles import publishing, related_words
from articles.freshness import pages_changed
from articles.models import Article, Author, Byline, Section
from articles.publishing_batch import Loaded

_counter = itertools.count(1)


def make_section(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    section = Section.objects.create(**fields)
    pages_changed()  # test data, written around the write path
    return section


def make_author(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Author {n}")
    fields.setdefault("slug", f"author-{n}")
    author = Author.objects.create(**fields)
    pages_changed()
    return author


def make_article(*, tags=(), authors=None, **fields):
    """A live article unless `status`/`published_at` say otherwise."""
    n = next(_counter)
    fields.setdefault("headline", f"Headline {n}")
    fields.setdefault("slug", f"headline-{n}")
    fields.setdefault("deck", f"Deck of story {n}.")
    fields.setdefault("body", f"<p>Body of story {n}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=n % 500 + 1))
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article.objects.create(**fields)
    related_words.write([article])  # as the write path does
    for position, author in enumerate(
        authors if authors is not None else [make_author()]
    ):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(list(tags))
    publishing.keep_link_times(article)  # as the write path does
    pages_changed(articles=True)
    return article


def jpeg_bytes(size=(40, 30), color="steelblue"):
    """A small, valid JPEG file's bytes."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def loaded_stories(count, *, section, authors, tags=()):
    """`count` new published stories ("Story 0", ...) as an import's batch
    hands them to the write path (`publishing_batch.load_batch`)."""
    return [
        Loaded(
            Article(
                headline=f"Story {n}",
                slug=f"story-{n}",
                body="<p>Text.</p>",
                section=section,
                status=Article.Status.PUBLISHED,
            ),
            [author.pk for author in authors],
            [tag.pk for tag in tags],
        )
        for n in range(count)
    ]
