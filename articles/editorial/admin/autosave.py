"""The article form's autosave: its address, the "unsaved changes" notice,
restoring, and deleting the copy once the article is really saved
(articles/editorial/autosave.py). Never an article write."""

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse

from .. import autosave

RESTORE = "autosave"  # ?autosave=restore opens the form with the copy


class AutosaveMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "autosave/",
                view(self.autosave_view),
                name="articles_article_autosave_new",
            ),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            *super().get_urls(),
        ]

    def autosave_view(self, request, object_id=None):
        """Keep the form's data as the user's copy (204), or discard it (204).

        403 without the right to change the article, 404 for one the user may
        not see, 409 when the article was saved since the form was opened, 413
        when the copy is too large. CSRF-protected like every admin view."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        size = request.META.get("CONTENT_LENGTH") or "0"
        if not size.isdigit() or int(size) > settings.NEWSROOM_AUTOSAVE_MAX_BYTES:
            return JsonResponse(
                {"error": "Too large to autosave: save the article instead."},
                status=413,
            )
        if "discard" in request.POST:
            autosave.discard(request.user, article)
            return HttpResponse(status=204)
        try:
            autosave.record(request.user, article, request.POST)
        except autosave.Stale:
            return JsonResponse(
                {"error": "The article was saved since this form was opened."},
                status=409,
            )
        return HttpResponse(status=204)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if settings.NEWSROOM_AUTOSAVE_SECONDS <= 0:  # switched off
            return super().changeform_view(request, object_id, form_url, extra_context)
        article = None
        if object_id is not None:
            object_id = unquote(object_id)
            if str(object_id).isdigit():
                article = self.get_queryset(request).filter(pk=object_id).first()
            if article is None or not self.has_change_permission(request, article):
                # Django's own view answers (404, or read-only, no autosave).
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        elif not self.has_add_permission(request):
            return super().changeform_view(request, object_id, form_url, extra_context)
        copy = autosave.offered(request.user, article)
        restore = request.method == "GET" and request.GET.get(RESTORE) == "restore"
        request.autosave_restore = copy if restore else None
        extra_context["autosave"] = {
            "url": reverse("admin:articles_article_autosave", args=[article.pk])
            if article
            else reverse("admin:articles_article_autosave_new"),
            "seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
            "copy": copy if request.method == "GET" else None,
            "restored": bool(copy and restore),
            "when": autosave.when(copy) if copy else "",
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        copy = getattr(request, "autosave_restore", None)
        return autosave.restoring(form, copy) if copy else form

    # A real save: the copy has served its purpose.

    def response_add(self, request, obj, post_url_continue=None):
        autosave.discard(request.user, None)
        autosave.discard(request.user, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        autosave.discard(request.user, obj)
        return super().response_change(request, obj)
