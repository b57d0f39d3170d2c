"""Helpers for the editorial tests: users in roles, and admin form POST data."""

import itertools

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.editorial.workflow import ensure_roles

_counter = itertools.count(1)


def make_user(role=None, **fields):
    """A staff user in `role` ("Reporter", "Editor", "Admin"), or none."""
    n = next(_counter)
    fields.setdefault("username", f"{(role or 'staff').lower()}{n}")
    user = User.objects.create_user(
        password="a long password 123", is_staff=True, **fields
    )
    if role:
        if not Group.objects.filter(name=role).exists():
            ensure_roles()
        user.groups.add(Group.objects.get(name=role))
    return user


def login(client, user):
    client.force_login(user)
    return client


def quoted_tags(names):
    return ", ".join(f'"{name}"' if "," in name else name for name in names)


def change_data(article, **overrides):
    """The article change form's POST data, as saved, bylines as existing rows."""
    when = timezone.localtime(article.published_at) if article.published_at else None
    until = article.embargoed_until and timezone.localtime(article.embargoed_until)
    bylines = list(article.bylines.order_by("position", "pk"))
    data = {
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "deck": article.deck,
        "body": article.body,
        "credit": article.credit,
        "dateline_place": article.dateline_place,
        "dateline_date": article.dateline_date,
        "dateline_source": article.dateline_source,
        "section": article.section_id,
        "tags": quoted_tags(article.tags.names()),
        "hero_image": article.hero_image_id or "",
        "status": article.status,
        "published_at_0": when.strftime("%Y-%m-%d") if when else "",
        "published_at_1": when.strftime("%H:%M:%S") if when else "",
        "embargoed_until_0": until.strftime("%Y-%m-%d") if until else "",
        "embargoed_until_1": until.strftime("%H:%M:%S") if until else "",
        "withdrawn_reason": article.withdrawn_reason,
        "base_version": article.version,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "canonical_url": article.canonical_url,
        "language": article.language,
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    for i, byline in enumerate(bylines):
        data[f"bylines-{i}-id"] = byline.pk
        data[f"bylines-{i}-article"] = article.pk
        data[f"bylines-{i}-author"] = byline.author_id
        data[f"bylines-{i}-position"] = byline.position
        data[f"bylines-{i}-role"] = byline.role
        data[f"bylines-{i}-suffix"] = byline.suffix
    data.update(overrides)
    return data


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"
