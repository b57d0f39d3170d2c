"""Shareable preview links: a draft shown to someone without an account.

A link carries a random token signed with the site's secret key. It works
until it expires (48 hours unless chosen otherwise) or an editor revokes it.
The page is marked as a preview, never cached, and kept out of search engines.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import PreviewLink
from articles.views import article_preview_response, article_queryset

LIFETIME = timedelta(hours=48)
_signer = signing.Signer(salt="articles.preview-link")


def create_link(article, user=None, lifetime=LIFETIME):
    return PreviewLink.objects.create(
        article=article,
        token=secrets.token_urlsafe(24),
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=timezone.now() + lifetime,
    )


def revoke(link):
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def link_path(link):
    return reverse("articles:shared_preview", args=[_signer.sign(link.token)])


def link_for(signed):
    """The PreviewLink a signed value names, or None if forged or unknown."""
    try:
        token = _signer.unsign(signed)
    except signing.BadSignature:
        return None
    return PreviewLink.objects.filter(token=token).first()


@require_safe
@never_cache
def shared_preview(request, signed):
    link = link_for(signed)
    if link is None:
        raise Http404("No such preview.")
    if not link.is_valid:
        response = render(
            request, "articles/preview_expired.html", {"link": link}, status=410
        )
    else:
        article = article_queryset().get(pk=link.article_id)
        response = article_preview_response(request, article)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token must not travel to other sites in the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response
