"""Inline rows whose autocomplete labels come from objects already loaded.

Django's autocomplete widget looks up the label of its selected value with one
query per row; an article with 8 authors and 8 related links would pay 16. The
inline formsets here load those objects with the rows (`select_related`) and
hand each row's widget its label.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that can be told the label of its selected value."""

    labels = None  # {str(pk): label}, set per row by the formset

    def optgroups(self, name, value, attr=None):
        selected = [
            str(v) for v in value if str(v) not in self.choices.field.empty_values
        ]
        if not self.labels or not selected or not set(selected) <= self.labels.keys():
            return super().optgroups(name, value, attr)
        options = (
            [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        )
        for choice in selected:
            options.append(
                self.create_option(
                    name, choice, self.labels[choice], set(selected), len(options)
                )
            )
        return [(None, options, 0)]


class LabelledRowsFormSet(BaseInlineFormSet):
    """Gives each existing row's autocomplete the label of the object it holds.

    `labelled_field` names the foreign key whose object the inline's queryset
    loads with `select_related`.
    """

    labelled_field = None

    def _construct_form(self, i, **kwargs):
        self.forget_stale_row(i)
        form = super()._construct_form(i, **kwargs)
        if i in self.stale_rows:
            form.fields[self.model._meta.pk.name].required = False
        if form.instance.pk:
            # The row's title names its article: the one already loaded, not
            # one query per row.
            setattr(form.instance, self.fk.name, self.instance)
        field = form.fields.get(self.labelled_field)
        related = (
            getattr(form.instance, self.labelled_field, None)
            if form.instance.pk
            else None
        )
        if field is not None and related is not None:
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, LabelledAutocompleteSelect):
                widget.labels = {str(related.pk): field.label_from_instance(related)}
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A tabular row's fields sit under column headings, which assistive
        # technology does not read as their labels.
        for field in form.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # the admin's
            if not widget.is_hidden and field.label:  # related-widget wrapper
                widget.attrs.setdefault("aria-label", str(field.label))

    def forget_stale_row(self, i):
        """A posted row whose id no longer exists is read as a new row.

        The write path replaces byline rows (`set_bylines`) and the related-
        links task replaces computed links, so a form opened before another
        save names rows that are gone. Checked as ids, such a row is a hidden
        "Select a valid choice" error no one can see or fix, and the form can
        never be saved; read as a new row, it says what the editor wants.
        """
        if not self.is_bound or i >= self.initial_form_count():
            return
        pk_field = self.model._meta.pk
        key = f"{self.add_prefix(i)}-{pk_field.name}"
        if key not in self.data:
            return
        raw = self.data[key]
        try:
            pk = pk_field.to_python(raw) if raw else None
        except ValidationError:
            pk = None
        # A blank id is such a row sent back by the page that showed the error.
        if pk is None or self._existing_object(pk) is None:
            if raw:
                self.data = self.data.copy()
                self.data[key] = ""
            self.stale_rows.add(i)

    @cached_property
    def stale_rows(self):
        return set()


class LabelledAutocompleteInline:
    """Inline mixin: its autocomplete fields use LabelledAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                LabelledAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
