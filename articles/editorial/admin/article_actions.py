"""The writing screen's actions: "Save draft", "Send for review", "Publish now",
"Schedule…", "Unpublish", "Withdraw…", in place of a raw status select.

Which actions an article offers depends on its state; which of those a user may
take depends on their role (workflow.py). The form (article_form.py) refuses
anything else on the server, whatever the page offered; the write path
(articles/publishing.py) saves.
"""

from dataclasses import dataclass

from django.utils import timezone

from articles.models import Article

from ..workflow import can_publish

Status = Article.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    explains: str
    status: str | None  # None keeps the article's status
    editors_only: bool = True
    asks: str = ""  # the field the action needs filled in first ("…" actions)
    done: str = "Saved."


SAVE_DRAFT = Action(
    "draft",
    "Save draft",
    "Saves your work as a draft. Readers see nothing.",
    Status.DRAFT,
    editors_only=False,
    done="Saved as a draft.",
)
SEND_FOR_REVIEW = Action(
    "review",
    "Send for review",
    "Saves and puts the article in the editors' review queue. Readers see nothing yet.",
    Status.REVIEW,
    editors_only=False,
    done="Saved and sent for review.",
)
SAVE = Action(
    "save",
    "Save changes",
    "Saves your changes and leaves the article as it is.",
    None,
    editors_only=False,
)
PUBLISH = Action(
    "publish",
    "Publish now",
    "Saves and puts the article on the site at once, with this moment as its "
    "publication time.",
    Status.PUBLISHED,
    done="Published: readers can see it now.",
)
SCHEDULE = Action(
    "schedule",
    "Schedule",
    "Saves and publishes the article by itself at the time you choose. Until "
    "then readers see nothing.",
    Status.PUBLISHED,
    asks="published_at",
    done="Scheduled: it goes live by itself at {when}.",
)
UNPUBLISH = Action(
    "unpublish",
    "Unpublish",
    "Takes the article off the site and makes it a draft again. Its address "
    "stops answering.",
    Status.DRAFT,
    done="Unpublished: it is off the site and a draft again.",
)
WITHDRAW = Action(
    "withdraw",
    "Withdraw",
    "Takes the article off the site; its address tells readers the reason you give.",
    Status.WITHDRAWN,
    asks="withdrawn_reason",
    done="Withdrawn: its address now tells readers why.",
)

ACTIONS = {
    action.name: action
    for action in (
        SAVE_DRAFT,
        SEND_FOR_REVIEW,
        SAVE,
        PUBLISH,
        SCHEDULE,
        UNPUBLISH,
        WITHDRAW,
    )
}

# What each state of an article offers, in the order the buttons appear.
BY_STATE = {
    "draft": [SAVE_DRAFT, SEND_FOR_REVIEW, PUBLISH, SCHEDULE],
    "review": [SAVE, SAVE_DRAFT, PUBLISH, SCHEDULE],
    "scheduled": [SAVE, PUBLISH, SCHEDULE, UNPUBLISH],
    "live": [SAVE, UNPUBLISH, WITHDRAW],
    "withdrawn": [SAVE, PUBLISH, UNPUBLISH],
}


def done_message(action, article):
    """What happened, for the message after the save."""
    when = timezone.localtime(article.published_at) if article.published_at else None
    when = f"{when:%d %b %Y %H:%M %Z}" if when else ""
    if action.status == Status.PUBLISHED and article.is_embargoed:
        return f"Published under embargo: it goes live by itself at {when}."
    return action.done.format(when=when)


def state_of(article):
    """The article's state as the desk names it."""
    if article.status == Status.PUBLISHED:
        return "scheduled" if article.is_scheduled else "live"
    if article.status in (Status.REVIEW, Status.WITHDRAWN):
        return article.status
    return "draft"


def offered(state, user):
    """The actions `user` may take on an article in `state`, in order."""
    may_publish = can_publish(user)
    return [
        action
        for action in BY_STATE.get(state, [])
        if may_publish or not action.editors_only
    ]
