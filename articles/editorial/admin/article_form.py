"""The article form: status limited by role, and a stale-save check."""

from django import forms
from django.core.exceptions import ValidationError

from articles import publishing
from articles.models import (
    MAX_TAGS_PER_ARTICLE,
    Article,
    Revision,
    check_tag_names,
    clean_tag_name,
    tag_key,
)
from articles.revisions import snapshot

from .. import revisions
from ..workflow import (
    EDITABLE_BY_REPORTERS,
    can_publish,
    refuse_status,
)

REPORTER_STATUS_MESSAGE = (
    "Only an editor can publish, schedule or withdraw an article. "
    "Choose “In review” to send it to an editor."
)


class ArticleAdminForm(forms.ModelForm):
    """The article form: status limited by role, and a stale-save check."""

    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, label="version"
    )
    update_public_time = forms.BooleanField(
        required=False,
        label="Show readers this as an update",
        help_text="Tick for a real update; leave unticked for a minor edit "
        "(a typo), which readers are not told about.",
    )

    user = None  # set per request by ArticleAdmin.get_form; the model too

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if not self.is_bound and self.instance.pk:
            self.initial["base_version"] = self.instance.version
        status = self.fields.get("status")
        if status and not can_publish(self.user):
            status.choices = [
                (value, label)
                for value, label in status.choices
                if value in EDITABLE_BY_REPORTERS
            ]
            status.error_messages["invalid_choice"] = REPORTER_STATUS_MESSAGE

    def clean_tags(self):
        """Tag names that fit, at most MAX_TAGS_PER_ARTICLE, variants counted once.

        The tag manager would cut an over-long name and refuse too many tags
        when they are saved, after the form; checked here, both are messages on
        the field instead of a silent cut or a server error.
        """
        names = check_tag_names(self.cleaned_data["tags"])
        count = len({tag_key(name) for name in map(clean_tag_name, names) if name})
        if count > MAX_TAGS_PER_ARTICLE:
            raise ValidationError(
                f"An article can have at most {MAX_TAGS_PER_ARTICLE} tags; "
                f"this has {count}."
            )
        return names

    def clean(self):
        cleaned = super().clean()
        if "published_at" in self.changed_data:
            # An editor chose a time: the imported "date only" no longer holds.
            self.instance.published_date_only = False
        wanted = self.data.get("status")
        if not can_publish(self.user) and wanted not in (None, *EDITABLE_BY_REPORTERS):
            refuse_status(self.user, self.instance, wanted)
        status = cleaned.get("status")
        if (
            status == Article.Status.WITHDRAWN
            and "withdrawn_reason" in self.fields
            and not cleaned.get("withdrawn_reason", "").strip()
        ):
            self.add_error(
                "withdrawn_reason", "Tell readers why the article was withdrawn."
            )
        if status == Article.Status.PUBLISHED:
            self.check_publishable(cleaned)
        if self.instance.pk:
            self.check_version(cleaned.get("base_version"))
        return cleaned

    def check_publishable(self, cleaned):
        """The write path's rule, shown on the fields (the byline is the
        byline rows' to check)."""
        probe = Article(
            headline=cleaned.get("headline") or "",
            body=cleaned.get("body") or "",
            credit=cleaned.get("credit", self.instance.credit) or "",
        )
        errors = publishing.form_errors(probe, authors=["checked by the rows"])
        for field in ("headline", "body"):
            if field in errors and field in self.fields and field not in self.errors:
                self.add_error(field, errors[field])

    def check_version(self, base_version):
        """Refuse a save made from a form older than the article (row locked)."""
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None or base_version == current:
            return
        latest = Revision.objects.filter(article_id=self.instance.pk).first()
        base = Revision.objects.filter(
            article_id=self.instance.pk, number=base_version or 0
        ).first()
        saved_now = snapshot(Article.objects.get(pk=self.instance.pk))
        self.conflict = {
            "base_version": base_version,
            "current_version": current,
            "latest": latest,
            "changes": revisions.diff(base.data, saved_now) if base else None,
        }
        who = latest.created_by if latest and latest.created_by else "someone else"
        self.add_error(
            None,
            f"Conflict: {who} saved this article while you were editing it "
            f"(version {base_version or '?'} → {current}). Nothing you typed has "
            "been saved, and it is still in the form below. Their changes are "
            "listed above; saving again will replace their version with yours.",
        )
        # A second save, made knowing this, is allowed to go through.
        self.data = self.data.copy()
        self.data["base_version"] = str(current)
