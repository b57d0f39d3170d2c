"""Inline rows whose autocomplete labels come from objects already loaded.

Django's autocomplete widget looks up the label of its selected value with one
query per row; an article with 8 authors and 8 related links would pay 16. The
inline formsets here load those objects with the rows (`select_related`) and
hand each row's widget its label.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet


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
        form = super()._construct_form(i, **kwargs)
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
