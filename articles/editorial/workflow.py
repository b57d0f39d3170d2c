"""Editorial roles and who may do what to an article.

Three groups carry the roles (see docs/roles.md):

- **Reporter** writes and edits their own articles (or ones with their byline)
  and sends them for review. They cannot publish, schedule, unpublish or
  withdraw, and cannot change an article once it is published.
- **Editor** edits everything, publishes, schedules, withdraws, merges tags.
- **Admin** does everything, including managing user accounts.

The groups are created by migration 0003 and re-synced by
`manage.py setup_roles`. Every check below runs on the server; the admin only
hides what the user could not do anyway.
"""

import logging

from django.apps import apps as global_apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

logger = logging.getLogger("articles.workflow")

REPORTER, EDITOR, ADMIN = "Reporter", "Editor", "Admin"

# Permissions that are not one of Django's add/change/delete/view.
CUSTOM_PERMISSIONS = {
    "publish_article": "Can publish, schedule, unpublish and withdraw articles",
    "edit_any_article": "Can edit articles written by anyone",
}

_ARTICLE_MODELS = [
    "article",
    "author",
    "byline",
    "correction",
    "image",
    "previewlink",
    "relatedlink",
    "revision",
    "section",
    "tag",
    "tagredirect",
]

ROLES = {
    REPORTER: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_image",
        "articles.change_image",
        "articles.view_image",
        "articles.add_previewlink",
        "articles.view_previewlink",
        "articles.view_relatedlink",
        "articles.view_revision",
        "articles.view_author",
        "articles.view_section",
        "articles.view_tag",
    ],
    EDITOR: [
        f"articles.{action}_{model}"
        for model in _ARTICLE_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    + [f"articles.{codename}" for codename in CUSTOM_PERMISSIONS],
}
ROLES[ADMIN] = ROLES[EDITOR] + [
    f"auth.{action}_{model}"
    for model in ("user", "group")
    for action in ("add", "change", "delete", "view")
]

EDITABLE_BY_REPORTERS = ("draft", "review")


def ensure_roles(apps=global_apps):
    """Create or update the role groups; safe to run any number of times.

    Works with the live app registry (`setup_roles`) and with a migration's
    historical one. Permissions a group has beyond its role are left alone.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    for label in ("auth", "articles"):
        app_config = apps.get_app_config(label)
        # Historical app configs have no models module; create_permissions
        # skips such apps unless told otherwise.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    article_type = ContentType.objects.get(app_label="articles", model="article")
    for codename, name in CUSTOM_PERMISSIONS.items():
        Permission.objects.get_or_create(
            content_type=article_type, codename=codename, defaults={"name": name}
        )

    summary = {}
    for role, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        query = Q()
        for perm in wanted:
            app_label, codename = perm.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(query))
        group.permissions.add(*permissions)
        summary[role] = len(permissions)
    return summary


def is_admin(user):
    """Superusers and members of the Admin group: they manage user accounts."""
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=ADMIN).exists()
    )


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_edit_any(user):
    return user.has_perm("articles.edit_any_article")


def own_articles(user):
    """The condition matching articles a user wrote or carries the byline of."""
    from articles.models import Byline

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
    from articles.models import Article

    articles = Article.objects.order_by()
    if can_edit_any(user):
        return articles
    return articles.published().order_by() | visible_articles(user, articles)


def visible_tags(user, queryset):
    """The part of `queryset` (tags) the admin shows to `user`.

    A tag used only on other people's unpublished articles, or on none, would
    tell of a story that is not out yet.
    """
    from articles.models import ArticleTag

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
    from articles.models import Article, Image

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
    from articles.models import Article

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


def can_edit_article(user, article):
    """May `user` change `article` (its text, tags, authors, draft status)?"""
    if not user.has_perm("articles.change_article"):
        return False
    if can_edit_any(user):
        return True
    if article.status not in EDITABLE_BY_REPORTERS:
        return False
    return article.pk is None or can_view_article(user, article)


def refuse_status(user, article, status):
    """Log an attempt to set a status the user may not set (kept for audit)."""
    logger.warning(
        "Refused: user %s tried to set status %r on article %s",
        user.get_username(),
        status,
        article.pk or "(new)",
    )
