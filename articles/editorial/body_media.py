"""What the body editor's "Embed" and "Picture" buttons ask the server.

Both answer JSON to the admin's own pages (static/admin/newsroom/body-media.js):
`embed_preview` names the provider a pasted URL is recognised as (the same
recogniser the HTML policy applies, articles/embeds.py); `pictures` lists the
library pictures the user may see, and takes an upload (alt text required),
validated and re-encoded like any other picture.
"""

from django import forms
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from articles import embeds
from articles.access import visible_images
from articles.models import Image
from articles.tasks import record_renditions

LIBRARY_PAGE = 24


def editor_config(config):
    """The body editor's configuration, its Embed and Picture nodes told where
    to ask (a copy: the model field's own stays as it is)."""
    extensions = dict(config.get("extensions", {}))
    if extensions.get("Embed"):
        extensions["Embed"] = {
            "previewUrl": reverse("admin:articles_article_body_embed")
        }
    if extensions.get("Picture"):
        extensions["Picture"] = {
            "libraryUrl": reverse("admin:articles_article_body_pictures")
        }
    return {**config, "extensions": extensions}


@require_safe
def embed_preview(request):
    """`?url=`: {"provider", "name", "player"} or {"provider": null}."""
    embed = embeds.recognise(request.GET.get("url", ""))
    if embed is None:
        return JsonResponse({"provider": None})
    return JsonResponse(
        {
            "provider": embed.provider.key,
            "name": embed.provider.name,
            "url": embed.url,
            "player": bool(embed.frame_src),
        }
    )


class PictureUploadForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]


@require_http_methods(["GET", "HEAD", "POST"])
def pictures(request):
    """GET `?q=`: the newest matching pictures; POST: upload one."""
    if request.method == "POST":
        return upload(request)
    if not request.user.has_perm("articles.view_image"):
        raise PermissionDenied
    found = visible_images(request.user, Image.objects.exclude(file=""))
    if query := request.GET.get("q", "").strip()[:100]:
        found = found.filter(
            Q(alt__icontains=query)
            | Q(caption__icontains=query)
            | Q(credit__icontains=query)
        )
    found = found.order_by("-created_at", "-pk")[:LIBRARY_PAGE]
    return JsonResponse({"results": [describe(image) for image in found]})


def upload(request):
    if not request.user.has_perm("articles.add_image"):
        raise PermissionDenied
    form = PictureUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    with transaction.atomic():
        image = form.save()
        # The admin's record of who added it: a reporter's own upload is theirs
        # to see (articles/access.py), as if added on the picture admin.
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[image],
            action_flag=ADDITION,
            change_message=[{"added": {}}],
            single_object=True,
        )
        record_renditions([image.pk])
    return JsonResponse(describe(image), status=201)


def describe(image):
    return {
        "id": image.pk,
        "src": image.file.url,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
    }
