"""Previews of unpublished articles: for staff, and by shareable link.

Staff who may see an article (docs/roles.md) preview it at /preview/<pk>/,
where the admin's "View on site" leads for anything not live. A shareable
link shows a draft to someone without an account: it carries a random token
signed with the site's secret key, and works until it expires (48 hours unless
chosen otherwise) or an editor revokes it. Every preview is marked as one,
never cached, and kept out of search engines. An embargoed story is never
shown by a shareable link (the link says it is under embargo, and until
when); staff previews still show it.
"""

import secrets
from datetime import timedelta

from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.access import can_view_article
from articles.views import article_queryset, render_article

from .models import PreviewLink

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
    return reverse("editorial:shared_preview", args=[_signer.sign(link.token)])


def link_for(signed):
    """The PreviewLink a signed value names, or None if forged or unknown."""
    try:
        token = _signer.unsign(signed)
    except signing.BadSignature:
        return None
    return PreviewLink.objects.filter(token=token).first()


def preview_response(request, article):
    response = render_article(request, article, preview=True)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@never_cache
@staff_member_required
def article_preview(request, pk):
    article = get_object_or_404(article_queryset(), pk=pk)
    if not can_view_article(request.user, article):
        # A reporter's preview of another reporter's draft: as if it did not exist.
        raise Http404("No such article.")
    return preview_response(request, article)


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
    elif (article := article_queryset().get(pk=link.article_id)).is_embargoed:
        response = render(
            request,
            "articles/preview_embargoed.html",
            {"embargoed_until": article.embargoed_until},
            status=403,
        )
    else:
        response = preview_response(request, article)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token must not travel to other sites in the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response
