"""The article form: the desk's actions limited by role, and a stale-save check."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from articles import picture_rights, publishable
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
from .article_actions import ACTIONS, BY_STATE, PUBLISH, SCHEDULE, state_of

REPORTER_STATUS_MESSAGE = (
    "Only an editor can publish, schedule or withdraw an article. "
    "Choose “In review” to send it to an editor."
)


class ArticleAdminForm(forms.ModelForm):
    """The article form: the desk's actions limited by role, and a stale-save
    check.

    The page sends the action the editor chose (`_action`: "publish",
    "schedule", ...; see article_actions.py); the status, kept in a hidden
    field, follows from it. A form posted without an action keeps the status
    it carries, within the same role rules.
    """

    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, label="version"
    )
    update_public_time = forms.BooleanField(
        required=False,
        label="Show readers this as an update",
        help_text="Tick for a real update; leave unticked for a minor edit "
        "(a typo), which readers are not told about.",
    )

    publish_uncredited = forms.BooleanField(
        required=False,
        label="Publish without a picture credit",
        help_text="Asked only when a picture of the story has no credit "
        "(publishing.html shows it with its warning).",
    )

    user = None  # set per request by ArticleAdmin.get_form; the model too

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if not self.is_bound and self.instance.pk:
            self.initial["base_version"] = self.instance.version
        status = self.fields.get("status")
        if status:
            status.widget = forms.HiddenInput()
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
        if "_action" in self.data:
            self.apply_action(cleaned, self.data.get("_action"))
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
        until = cleaned.get("embargoed_until")
        if "embargoed_until" in self.changed_data and until and until <= timezone.now():
            self.add_error(
                "embargoed_until",
                "An embargo ends at a time in the future; clear the date and "
                "time to lift it.",
            )
        if self.instance.pk:
            self.check_version(cleaned.get("base_version"))
        return cleaned

    def saved_state(self):
        """The article's state as stored ("draft", "live", ...); the instance
        itself takes the posted values while the form is checked."""
        return state_of(
            Article(
                status=self.initial.get("status") or Article.Status.DRAFT,
                published_at=self.initial.get("published_at"),
            )
        )

    def apply_action(self, cleaned, name):
        """Set the status (and the time) the chosen action means, or refuse it."""
        action = ACTIONS.get(name)
        if action is None or action not in BY_STATE[self.saved_state()]:
            self.add_error(
                None, "That action does not apply to this article; nothing was saved."
            )
            return
        if action.editors_only and not can_publish(self.user):
            refuse_status(self.user, self.instance, action.status)
            self.add_error(None, REPORTER_STATUS_MESSAGE)
            return
        if action.status is None or "status" not in self.fields:
            return
        cleaned["status"] = action.status
        if action is PUBLISH:
            # To the second, as the form shows it: the next save keeps it.
            cleaned["published_at"] = timezone.now().replace(microsecond=0)
            self.instance.published_date_only = False
        elif action is SCHEDULE:
            when = cleaned.get("published_at")
            if "published_at" in self.errors:
                return
            if when is None or when <= timezone.now():
                self.add_error(
                    "published_at",
                    "Choose a date and time in the future to schedule the "
                    "article, or use “Publish now”.",
                )

    def check_publishable(self, cleaned):
        """The write path's rule, shown on the fields (the byline is the
        byline rows' to check)."""
        probe = Article(
            headline=cleaned.get("headline") or "",
            body=cleaned.get("body") or "",
            credit=cleaned.get("credit", self.instance.credit) or "",
        )
        errors = publishable.form_errors(probe, authors=["checked by the rows"])
        for field in ("headline", "body"):
            if field in errors and field in self.fields and field not in self.errors:
                self.add_error(field, errors[field])
        if self.initial.get("status") != Article.Status.PUBLISHED:
            self.check_picture_rights(cleaned)

    def check_picture_rights(self, cleaned):
        """Going live: expired rights refuse it, a missing credit asks the
        editor to confirm (picture_rights.py)."""
        hero = cleaned.get("hero_image", self.instance.hero_image)
        body = cleaned.get("body", self.instance.body) or ""
        pictures = picture_rights.pictures_of(self.instance, hero=hero, body=body)
        if reason := picture_rights.refusal(pictures):
            field = "hero_image" if hero and hero.rights_expired else None
            self.add_error(field if field in self.fields else None, reason)
        elif (warnings := picture_rights.warnings(pictures)) and not cleaned.get(
            "publish_uncredited"
        ):
            field = "publish_uncredited"
            self.add_error(
                field if field in self.fields else None,
                " ".join(warnings) + " Add a credit to the picture, or "
                "tick the box to publish without one.",
            )

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


def error_summary(form, formsets):
    """Every error the page holds, as (where, message, anchor id or "").

    Shown at the top of the form, so no error hides: not one on a hidden
    field (the version, an inline row's id), nor one in a collapsed panel
    or an inline row. The form's own non-field errors (the conflict notice)
    are shown by the admin already.
    """
    items = []

    def add(form, where):
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS:
                if not where:
                    continue
                items.extend((where, message, "") for message in errors)
                continue
            field = form.fields.get(name)
            label = (field.label if field and field.label else name).capitalize()
            hidden = field is None or field.widget.is_hidden
            anchor = "" if hidden else form[name].id_for_label
            prefix = f"{where}: " if where else ""
            items.extend((f"{prefix}{label}", message, anchor) for message in errors)

    if form.is_bound:
        add(form, "")
    for formset in formsets:
        if not formset.is_bound:
            continue
        name = str(formset.model._meta.verbose_name_plural).capitalize()
        items.extend((name, message, "") for message in formset.non_form_errors())
        for n, row in enumerate(formset.forms, start=1):
            add(row, f"{name}, row {n}")
    return items
