"""The article editor's extra pages: revisions, compare, restore, preview
links, the editors' dashboard, and what the body editor asks the server."""

from itertools import pairwise

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from articles import publishing
from articles.revisions import snapshot

from .. import body_media, previews, revisions


class ArticlePagesMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("dashboard/", view(self.dashboard_view), name="articles_dashboard"),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<path:object_id>/preview-links/",
                view(self.preview_links_view),
                name="articles_article_preview_links",
            ),
            path(
                "body/embed/",
                view(body_media.embed_preview),
                name="articles_article_body_embed",
            ),
            path(
                "body/pictures/",
                view(body_media.pictures),
                name="articles_article_body_pictures",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request, object_id, *, change=False):
        article = self.get_object(request, object_id)
        allowed = (
            self.has_change_permission(request, article)
            if change
            else self.has_view_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
            **extra,
        }

    def revisions_view(self, request, object_id):
        article = self._article_for(request, object_id)
        history = list(article.revisions.select_related("created_by"))
        # Newest first: each revision is compared with the one before it; the
        # oldest has none. An imported article has no revisions at all.
        for revision, previous in pairwise([*history, None]):
            revision.changed = (
                revisions.changed_fields(previous.data, revision.data)
                if previous
                else []
            )
        context = self._context(
            request,
            article,
            f"History of “{article.headline}”",
            revisions=history,
            can_restore=self.has_change_permission(request, article),
        )
        return TemplateResponse(
            request, "admin/articles/article/revisions.html", context
        )

    def compare_view(self, request, object_id):
        article = self._article_for(request, object_id)
        numbers = request.GET.getlist("r")
        if len(numbers) != 2 or not all(n.isdigit() for n in numbers):
            messages.error(request, "Choose two revisions to compare.")
            return redirect("admin:articles_article_revisions", article.pk)
        old, new = sorted(
            (get_object_or_404(article.revisions, number=int(n)) for n in numbers),
            key=lambda r: r.number,
        )
        context = self._context(
            request,
            article,
            f"Revision {old.number} → {new.number} of “{article.headline}”",
            old=old,
            new=new,
            changes=revisions.diff(old.data, new.data),
        )
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, number):
        article = self._article_for(request, object_id, change=True)
        revision = get_object_or_404(article.revisions, number=number)
        if request.method == "POST":
            new = publishing.restore(revision, by=request.user)
            self.log_change(
                request,
                article,
                f"Restored revision {revision.number} as {new.number}.",
            )
            messages.success(
                request,
                f"Revision {revision.number} restored as revision {new.number}; "
                "nothing was deleted.",
            )
            return redirect("admin:articles_article_change", article.pk)
        current = snapshot(article)
        context = self._context(
            request,
            article,
            f"Restore revision {revision.number} of “{article.headline}”?",
            revision=revision,
            changes=revisions.diff(current, revision.data),
        )
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def preview_links_view(self, request, object_id):
        article = self._article_for(request, object_id, change=True)
        if not request.user.has_perm("editorial.add_previewlink"):
            raise PermissionDenied
        if request.method == "POST":
            if "revoke" in request.POST:
                link = get_object_or_404(
                    article.preview_links, pk=request.POST.get("revoke")
                )
                previews.revoke(link)
                messages.success(request, "The preview link no longer works.")
            else:
                link = previews.create_link(article, request.user)
                url = request.build_absolute_uri(previews.link_path(link))
                messages.success(
                    request,
                    f"Preview link, valid until "
                    f"{timezone.localtime(link.expires_at):%d %b %Y %H:%M}: {url}",
                )
        return redirect("admin:articles_article_change", article.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = None
        if str(object_id).isdigit():
            article = self.get_queryset(request).filter(pk=object_id).first()
        if article is not None and request.user.has_perm("editorial.add_previewlink"):
            extra_context["preview_links"] = [
                (link, request.build_absolute_uri(previews.link_path(link)))
                for link in article.preview_links.filter(
                    revoked_at=None, expires_at__gt=timezone.now()
                ).order_by("-created_at")
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def dashboard_view(self, request):
        """The desk on a page of its own (the admin's home page shows it too)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Editors’ desk",
        }
        return TemplateResponse(request, "admin/articles/dashboard.html", context)
