"""Autosave: never lose what was typed in an article's form.

The form sends what it holds every NEWSROOM_AUTOSAVE_SECONDS and when the
page is left (static/admin/newsroom/autosave.js). It is kept as the user's
copy for that article (`Autosave`), never written to the article: only a real
save does that, through the write path, and it deletes the copy. The form
carries the version it was opened at; a copy made from an older version than
the article's is refused when sent and never offered when the form is opened
again, so an autosave cannot bring back what a newer save replaced.
"""

from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from .models import Autosave

# What a form posts that is not the article's content.
NOT_CONTENT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "discard"}


class Stale(Exception):
    """The article was saved after the form was opened."""


def record(user, article, post):
    """Keep what `post` (the form's data) holds as `user`'s copy of `article`
    (None: a new article). Raises Stale if the article moved on since the form
    was opened."""
    base_version = post.get("base_version")
    base_version = (
        int(base_version) if base_version and base_version.isdigit() else None
    )
    if article is not None and base_version != article.version:
        raise Stale
    data = {name: post.getlist(name) for name in post if name not in NOT_CONTENT}
    Autosave.objects.update_or_create(
        user=user,
        article=article,
        defaults={"data": data, "base_version": base_version},
    )


def discard(user, article):
    Autosave.objects.filter(user=user, article=article).delete()


def offered(user, article):
    """`user`'s copy of `article` (None: a new article), unless the article
    was saved since the copy's form was opened or since the copy was made."""
    copy = Autosave.objects.filter(user=user, article=article).first()
    if copy is None or article is None:
        return copy
    if copy.base_version != article.version or copy.saved_at < article.updated_at:
        return None
    return copy


def when(copy):
    """ "14:32" today, "3 Dec, 14:32" another day, in the newsroom's time zone."""
    saved = timezone.localtime(copy.saved_at)
    if saved.date() == timezone.localdate():
        return f"{saved:%H:%M}"
    return f"{saved.day} {saved:%b, %H:%M}"


def restoring(form_class, copy):
    """`form_class`, opening with the copy's values instead of the article's.

    Only the fields this form has (a reporter's has no publication time) and
    never the version it was opened at: saving it is an ordinary save, with
    every check the form and the write path make.
    """
    data = MultiValueDict(copy.data)

    class Restored(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.is_bound:
                return
            for name, field in self.fields.items():
                key = self.add_prefix(name)
                if name == "base_version" or field.widget.value_omitted_from_data(
                    data, {}, key
                ):
                    continue
                self.initial[name] = field.widget.value_from_datadict(data, {}, key)

    Restored.__name__ = form_class.__name__
    return Restored
