"""The rule a published article must meet: a headline, a body, and a byline
(a writer) or a credit. It lives here once; the write path refuses what
breaks it (`check`), the admin's forms show it (`form_errors`) and imports
report it (`problems`).
"""

from django.core.exceptions import ValidationError

from .bylines import byline_rows
from .models import Article, Byline
from .sanitize import sanitize_body

Status = Article.Status

# Field (or "bylines"), the reason in a word, the reason for a form.
RULE = [
    ("headline", "no headline", "A published article needs a headline."),
    ("body", "no body", "A published article needs a body."),
    (
        "bylines",
        "no byline or credit",
        "A published article needs at least one author (a writer), or a credit.",
    ),
]


def missing(article, *, authors=None, bylines=True, body_clean=False):
    """What keeps `article` from being published: the names of `RULE`'s
    fields it lacks ("headline", "body", "bylines"), empty if nothing.

    `authors` are the authors it will have; by default, its stored bylines.
    Only a writer makes a byline: a story with a photographer alone needs a
    credit.
    Without `bylines`, a byline (or credit) is not asked for: an import
    publishes a source's story that has neither, with a warning, as it always
    has (docs/workflow.md).
    With `body_clean`, the caller says the body is already what
    `sanitize_body` makes of it (an import sanitizes each body once and
    carries it): it is not sanitized again to see whether anything is left.
    """
    found = []
    if not article.headline.strip():
        found.append("headline")
    body = article.body if body_clean else sanitize_body(article.body)
    if not body.strip():
        found.append("body")
    if not bylines:
        has_byline = True
    elif authors is None:
        writers = article.bylines.filter(role=Byline.Role.WRITER)
        has_byline = article.pk is not None and writers.exists()
    else:
        has_byline = any(
            role == Byline.Role.WRITER for _, role, _ in byline_rows(authors)
        )
    if bylines and not has_byline and not article.credit.strip():
        found.append("bylines")
    return found


def problems(article, *, authors=None, bylines=True, body_clean=False):
    """`missing`, as short reasons: "no headline", "no byline or credit"."""
    lacking = missing(article, authors=authors, bylines=bylines, body_clean=body_clean)
    return [short for field, short, _ in RULE if field in lacking]


def form_errors(article, *, authors=None):
    """`missing`, as {field: message} for a form."""
    lacking = missing(article, authors=authors)
    return {field: message for field, _, message in RULE if field in lacking}


def check(article, *, authors=None, bylines=True, body_clean=False):
    """Refuse (ValidationError) a published article that breaks the rule."""
    if article.status != Status.PUBLISHED:
        return
    found = problems(article, authors=authors, bylines=bylines, body_clean=body_clean)
    if found:
        raise ValidationError(
            f"A published article needs a headline, a body and a byline or a "
            f"credit: it has {', '.join(found)}."
        )
