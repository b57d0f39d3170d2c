"""The article screen's live updates panel: entries added, edited and pinned,
and the live coverage ended, without reloading the article's form.

The panel (admin/articles/article/live.html) sits under the article's form;
its small forms are posted by its script (static/admin/newsroom/live-panel.js)
to one admin address, CSRF-protected like every admin view, which answers
with the panel as it now is. The writes are the write path's
(articles/live.py, offered by articles/publishing.py); who may make them is
exactly who may change the article (`has_change_permission`).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime

from articles import publishing
from articles.access import visible_images
from articles.models import Author, Image, LiveCoverage, LiveEntry

# Requests from the panel's script get the panel back, not a redirect.
PANEL_HEADER = "X-Newsroom-Panel"
ADD_PREFIX = "live"
ACTIONS = ("add", "edit", "pin", "unpin", "end")


class LiveEntryForm(forms.Form):
    text = forms.CharField(
        label="Entry",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="A blank line starts a new paragraph.",
    )
    author = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Author"
    )
    image = forms.ModelChoiceField(
        queryset=Image.objects.none(), required=False, label="Picture"
    )
    embed_url = forms.CharField(
        required=False,
        max_length=2000,
        label="Embed",
        help_text="The address of a post, video, map or chart.",
        widget=forms.URLInput(attrs={"size": 50}),
    )
    pinned = forms.BooleanField(
        required=False, label="Key points: pin above the other entries"
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, admin_site, authors, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["author"].choices = [("", "—"), *authors]
        image = self.fields["image"]
        image.queryset = visible_images(user, Image.objects.all())
        image.widget = ForeignKeyRawIdWidget(
            LiveEntry._meta.get_field("image").remote_field, admin_site
        )

    def entry_fields(self):
        data = self.cleaned_data
        author = data["author"] and Author.objects.filter(pk=data["author"]).first()
        return {
            "text": data["text"],
            "image": data["image"],
            "embed_url": data["embed_url"],
            "author": author or None,
        }


def initial_for(entry):
    return {
        "text": entry.editable_text,
        "author": entry.author_id,
        "image": entry.image_id,
        "embed_url": entry.embed_url,
        "seen": entry.updated_at.isoformat(),
    }


class LiveUpdatesMixin:
    def get_urls(self):
        return [
            path(
                "<path:object_id>/live/",
                self.admin_site.admin_view(self.live_view),
                name="articles_article_live",
            ),
            *super().get_urls(),
        ]

    def live_view(self, request, object_id):
        """GET: the panel (`?edit=<entry>` opens that entry's form). POST
        (`live` = add, edit, pin, unpin or end): the write, then the panel (400
        with what was wrong). 403 without the right to change the article, 404
        for one the user may not see."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        article = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method == "GET":
            editing = request.GET.get("edit")
            entry = live_entry(article, editing) if editing else None
            return self.live_response(request, article, editing=entry)
        action = request.POST.get("live")
        if action not in ACTIONS:
            return HttpResponseBadRequest("Unknown live updates action.")
        entry = None
        if action in ("edit", "pin", "unpin"):
            entry = live_entry(article, request.POST.get("entry"))
        form = None
        if action in ("add", "edit"):
            form = self.live_form(
                request,
                data=request.POST,
                prefix=ADD_PREFIX if entry is None else f"entry-{entry.pk}",
            )
        try:
            done = self.live_write(request, article, action, entry, form)
        except ValidationError as error:
            if form is None:
                return self.live_response(request, article, error=error, status=400)
            form.add_error(None, error)
            done = None
        if done is None:
            return self.live_response(
                request, article, form=form, editing=entry, status=400
            )
        return self.live_response(request, article, message=done)

    def live_write(self, request, article, action, entry, form):
        """Do `action`; what to tell the editor, or None if the form is invalid."""
        by = request.user
        if action == "end":
            publishing.end_live_coverage(article, by=by)
            return "Live coverage ended."
        if action in ("pin", "unpin"):
            publishing.pin_live_entry(entry, by=by, pinned=action == "pin")
            return "Key points pinned." if action == "pin" else "Entry unpinned."
        if form is None or not form.is_valid():
            return None
        if action == "add":
            publishing.add_live_entry(
                article,
                by=by,
                pinned=form.cleaned_data["pinned"],
                **form.entry_fields(),
            )
            return "Entry posted."
        seen = seen_at(form.cleaned_data["seen"])
        publishing.edit_live_entry(entry, by=by, seen=seen, **form.entry_fields())
        return "Entry saved."

    def live_form(self, request, **kwargs):
        authors = Author.objects.order_by("name").values_list("pk", "name")
        return LiveEntryForm(
            user=request.user, admin_site=self.admin_site, authors=authors, **kwargs
        )

    def live_response(
        self, request, article, *, form=None, editing=None, error=None,
        message="", status=200,
    ):  # fmt: skip
        if request.headers.get(PANEL_HEADER) != "live" and request.method == "POST":
            # Without the script: back to the article, told what happened.
            if status == 200:
                self.message_user(request, message, messages.SUCCESS)
            else:
                problems = error.messages if error else form_problems(form)
                self.message_user(request, " ".join(problems), messages.ERROR)
            url = reverse("admin:articles_article_change", args=[article.pk])
            return redirect(f"{url}#live-updates")
        context = self.live_panel(
            request, article, form=form, editing=editing, error=error, message=message
        )
        return TemplateResponse(
            request, "admin/articles/article/live.html", context, status=status
        )

    def live_panel(
        self, request, article, *, form=None, editing=None, error=None, message=""
    ):
        """The panel's context: the coverage, the entries, the forms."""
        coverage = LiveCoverage.objects.filter(article=article).first()
        adding = form if form is not None and editing is None else None
        edit_form = form if form is not None and editing is not None else None
        if editing is not None and edit_form is None:
            edit_form = self.live_form(
                request, initial=initial_for(editing), prefix=f"entry-{editing.pk}"
            )
        return {
            "article": article,
            "coverage": coverage,
            "entries": article.live_entries.select_related("author", "image"),
            "add_form": adding
            or self.live_form(
                request, prefix=ADD_PREFIX, initial=default_author(article)
            ),
            "editing": editing,
            "edit_form": edit_form,
            "error": error,
            "message": message,
            "url": reverse("admin:articles_article_live", args=[article.pk]),
        }

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.pk and self.has_change_permission(request, obj):
            context["live_panel"] = render_to_string(
                "admin/articles/article/live.html",
                self.live_panel(request, obj),
                request=request,
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


def live_entry(article, pk):
    """The entry `pk` of `article`, or 404."""
    if not str(pk or "").isdigit():
        raise Http404("No such entry.")
    return get_object_or_404(LiveEntry, pk=pk, article=article)


def seen_at(value):
    """The entry's version the edit form started from (None: not given)."""
    if not value:
        return None
    try:
        seen = parse_datetime(value)
    except ValueError:
        seen = None
    if seen is None:
        raise ValidationError("This form is out of date: reload the panel.")
    return seen


def default_author(article):
    first = article.bylines.order_by("position", "pk").values_list("author", flat=True)
    return {"author": first.first()}


def form_problems(form):
    if form is None:
        return ["Nothing was changed."]
    return [message for errors in form.errors.values() for message in errors]
