"""Picture rights: which pictures a story shows, and what their rights allow.

Stated once, for the write path and the admin: a story is not published
with a picture whose rights have expired (`refusal`), and a picture without
a credit is a warning the editor may publish past (`warnings`). The pictures
are the hero and those in the body, which the body editor stores as
`<figure class="picture"><img src="…/images/2026/05/name.jpg">`: a body
picture is the Image whose file its address ends with.

From its expiry a picture is shown nowhere: `Image.is_shown` keeps it off
cards, the hero, feeds, JSON-LD and ninjs, and `without_expired` takes its
figure out of a body as the page is rendered (the stored body is the
editor's text and stays as written).
"""

import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from .models import Article, Image

# The stored file's name in a body picture's address: "images/…" up to the
# end of the path (upload_to is "images/%Y/%m/").
BODY_PICTURE = re.compile(r'<img\b[^>]*?\bsrc="[^"]*?/(images/[^"?#]+)')
FIGURE = re.compile(r'<figure class="picture">.*?</figure>', re.S)


def body_file_names(body):
    """The stored file names of the pictures in a body, in order."""
    names = (unquote(name) for name in BODY_PICTURE.findall(body or ""))
    return list(dict.fromkeys(names))


STORED = object()


def pictures_of(article, *, hero=STORED, body=None):
    """The pictures `article` shows: its hero (or `hero`, which may be None)
    first, then those of its body (or `body`). One query for the body's,
    none without any."""
    hero = article.hero_image if hero is STORED else hero
    found = [hero] if hero is not None else []
    names = body_file_names(article.body if body is None else body)
    if names:
        in_body = {i.file.name: i for i in Image.objects.filter(file__in=names)}
        found += [in_body[n] for n in names if n in in_body and in_body[n] != hero]
    return found


def refusal(pictures):
    """Why a story showing `pictures` may not be published, or ""."""
    expired = [p for p in pictures if p.rights_expired]
    if not expired:
        return ""
    named = ", ".join(f"“{p.alt}”" for p in expired)
    return (
        f"The rights to the picture {named} have expired: remove it from the "
        "story or renew its rights before publishing."
    )


def check(article):
    """Refuse (ValidationError) to publish `article` with a picture whose
    rights have expired. A story already published stays editable: its
    expired picture is withdrawn from its pages instead."""
    if article.status != Article.Status.PUBLISHED:
        return
    reason = refusal(pictures_of(article))
    if reason and not is_stored_published(article):
        raise ValidationError(reason)


def is_stored_published(article):
    return (
        article.pk is not None
        and Article.objects.filter(
            pk=article.pk, status=Article.Status.PUBLISHED
        ).exists()
    )


def warnings(pictures):
    """What an editor is warned of before publishing `pictures`: one line per
    picture that has no credit."""
    return [f"The picture “{p.alt}” has no credit." for p in pictures if not p.credit]


def expired_unwithdrawn(now=None):
    """Stored pictures whose rights have expired and whose renditions are
    still out."""
    now = now or timezone.now()
    stored = Image.objects.exclude(file="")
    return stored.filter(rights_expire_at__lte=now).filter(
        Q(rendition_manifest__isnull=True)
        | Q(rendition_manifest__withdrawn__isnull=True)
    )


def without_expired(body):
    """`body` without the figures of pictures whose rights have expired (one
    query when the body has pictures, none otherwise)."""
    names = body_file_names(body)
    if not names:
        return body
    expired = set(
        Image.objects.filter(
            file__in=names, rights_expire_at__lte=timezone.now()
        ).values_list("file", flat=True)
    )
    if not expired:
        return body

    def keep(match):
        figure = match.group(0)
        return "" if set(body_file_names(figure)) & expired else figure

    return FIGURE.sub(keep, body)
