"""Editorial roles and who may do what to an article.

Three groups carry the roles (see docs/roles.md):

- **Reporter** writes and edits their own articles (or ones with their byline)
  and sends them for review. They cannot publish, schedule, unpublish or
  withdraw, and cannot change an article once it is published.
- **Editor** edits everything, publishes, schedules, withdraws, merges tags.
- **Admin** does everything, including managing user accounts.

The groups are created by editorial's migration 0002_roles and re-synced by
`manage.py setup_roles`. Every check below runs on the server; the admin only
hides what the user could not do anyway.
"""

import logging

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

from articles.access import can_edit_any, can_view_article

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
    "relatedlink",
    "revision",
    "section",
    "tag",
    "tagalias",
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
        "editorial.add_previewlink",
        "editorial.view_previewlink",
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
    + [f"articles.{codename}" for codename in CUSTOM_PERMISSIONS]
    + [
        f"editorial.{action}_previewlink"
        for action in ("add", "change", "delete", "view")
    ],
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

    for label in ("auth", "articles", "editorial"):
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
