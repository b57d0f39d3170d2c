"""What staff may see and change in the admin, for every app that shows it.

Editors (the `edit_any_article` permission) see everything. Everyone else sees
their own articles (written by them or under their byline) and, of tags and
pictures, what public or own articles use (docs/roles.md). The editorial app's
admins and the media app's picture admin apply these rules; they live in core
because an app may not import another. Roles themselves (who is a Reporter,
who may publish) are editorial's (articles/editorial/workflow.py).
"""

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.http import Http404

from .models import Article, ArticleTag, Byline, Image


def can_edit_any(user):
    return user.has_perm("articles.edit_any_article")


def own_articles(user):
    """The condition matching articles a user wrote or carries the byline of."""
    return Q(created_by=user) | Q(
        pk__in=Byline.objects.filter(author__user=user).values("article_id")
    )


def visible_articles(user, queryset):
    """The part of `queryset` the admin shows to `user`."""
    if can_edit_any(user):
        return queryset
    if not user.has_perm("articles.view_article"):
        return queryset.none()
    return queryset.filter(own_articles(user))


def known_articles(user):
    """Articles whose tags, images and numbers `user` may see in the admin.

    Everything for editors; for others, what is public and what the article
    list shows them (their own).
    """
    articles = Article.objects.order_by()
    if can_edit_any(user):
        return articles
    return articles.published().order_by() | visible_articles(user, articles)


def visible_tags(user, queryset):
    """The part of `queryset` (tags) the admin shows to `user`.

    A tag used only on other people's unpublished articles, or on none, would
    tell of a story that is not out yet.
    """
    if can_edit_any(user):
        return queryset
    used = ArticleTag.objects.filter(content_object__in=known_articles(user))
    return queryset.filter(pk__in=used.values("tag"))


def visible_images(user, queryset):
    """The part of `queryset` (images) the admin shows to `user`.

    Images on public or own articles, and images the user uploaded that no
    article uses yet. An image records no uploader of its own, so the admin's
    record of who added it (the image's history page) tells whose upload it is.
    """
    if can_edit_any(user):
        return queryset
    shown = known_articles(user).filter(hero_image__isnull=False)
    uploaded = LogEntry.objects.filter(
        user_id=user.pk,
        action_flag=ADDITION,
        content_type=ContentType.objects.get_for_model(Image),
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    unused = ~Exists(Article.objects.filter(hero_image=OuterRef("pk")))
    return queryset.filter(
        Q(pk__in=shown.values("hero_image")) | (unused & Exists(uploaded))
    )


def can_edit_image(user, image):
    """May `user` change `image`? Not when someone else's article shows it."""
    if not user.has_perm("articles.change_image"):
        return False
    if can_edit_any(user):
        return True
    if not visible_images(user, type(image).objects.filter(pk=image.pk)).exists():
        return False
    own = visible_articles(user, Article.objects.all())
    elsewhere = Article.objects.filter(hero_image=image).exclude(
        pk__in=own.values("pk")
    )
    return not elsewhere.exists()


def can_view_article(user, article):
    """May `user` see `article` in the admin or as a staff preview?"""
    if not (user.is_active and user.is_staff):
        return False
    if can_edit_any(user):
        return True
    return visible_articles(user, type(article).objects.filter(pk=article.pk)).exists()


class NotFoundUnlessVisible:
    """Admin mixin: what `get_queryset` leaves out answers 404, as if it did
    not exist.

    (Django's admin would redirect to its index saying the object "doesn't
    exist", which differs from a missing one in status and address.)
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No such {self.opts.verbose_name}.")
        return obj
