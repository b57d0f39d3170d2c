"""The article form's inline rows: bylines, related links, corrections."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import BaseInlineFormSet

from articles import publishable, publishing
from articles.models import (
    Article,
    Byline,
    Correction,
    RelatedLink,
)

from .widgets import LabelledAutocompleteInline, LabelledRowsFormSet


class BylineFormSet(LabelledRowsFormSet):
    labelled_field = "author"

    def authors(self):
        """The rows as the write path's BylineRows (author, role, suffix), in
        byline order (deleted rows left out)."""
        rows = [
            (form.cleaned_data.get("position") or 0, n, self.row(form.cleaned_data))
            for n, form in enumerate(self.forms)
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        return [row for _, _, row in sorted(rows, key=lambda row: row[:2])]

    @staticmethod
    def row(data):
        return publishing.BylineRow(
            data["author"], data.get("role") or "", data.get("suffix") or ""
        )

    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        errors = publishable.form_errors(self.instance, authors=self.authors())
        if "bylines" in errors:
            raise ValidationError(errors["bylines"])


class BylineInline(LabelledAutocompleteInline, admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "role", "suffix", "position"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "role":
            # A row posted without one (an older form) is a writer's.
            kwargs["required"] = False
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RelatedLinkFormSet(LabelledRowsFormSet):
    labelled_field = "target"

    def forget_stale_row(self, i):
        """A computed link gone since the form was opened is left to the task
        that recomputes them; an editor's pin or exclusion is saved anew."""
        super().forget_stale_row(i)
        prefix = self.add_prefix(i)
        if i in self.stale_rows and self.data.get(f"{prefix}-kind") in (
            None,
            RelatedLink.Kind.COMPUTED,
        ):
            self.data[f"{prefix}-DELETE"] = "on"

    def save_existing_objects(self, commit=True):
        saved = super().save_existing_objects(commit)
        for i in sorted(self.stale_rows):
            form = self.forms[i]
            if not self._should_delete_form(form):
                saved.append(self.save_new(form, commit=commit))
        return saved


class RelatedLinkInline(LabelledAutocompleteInline, admin.TabularInline):
    model = RelatedLink
    formset = RelatedLinkFormSet
    fk_name = "article"
    autocomplete_fields = ["target"]
    fields = ["target", "kind", "position", "why"]
    readonly_fields = ["why"]
    extra = 0
    verbose_name = "related article"
    verbose_name_plural = (
        "Related articles: pinned ones first in their order, then computed ones "
        "(refreshed on every save). Set a link to “Pinned” to keep it, "
        "“Excluded” to never show it"
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("target")
            .order_by(
                Case(
                    When(kind=RelatedLink.Kind.PINNED, then=Value(0)),
                    When(kind=RelatedLink.Kind.COMPUTED, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                "position",
            )
        )

    @admin.display(description="why")
    def why(self, link):
        if link.pk is None:
            return ""
        if link.kind == RelatedLink.Kind.COMPUTED:
            return (
                f"score {link.score:.2f}: {link.reason or 'same section, near in time'}"
            )
        return link.get_kind_display()


class CorrectionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        adding = any(
            form.has_changed() and not form.cleaned_data.get("DELETE")
            for form in self.forms
            if form.instance.pk is None
        )
        if adding and self.instance.status != Article.Status.PUBLISHED:
            raise ValidationError(
                "Corrections and updates are notes on a published article; "
                "this one is not published."
            )


class CorrectionInline(admin.StackedInline):
    model = Correction
    formset = CorrectionFormSet
    fields = ["kind", "text", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    verbose_name = "correction or update note"
    verbose_name_plural = (
        "Corrections and updates (shown on the article and the corrections page)"
    )
