"""A news desk's process: writes through the write path (articles/publishing.py)
against a stack's site, as the admin would, in a process of its own.

    python -m tests.stack.desk ACTION [JSON]

prints one line, `RESULT <json>`. Follow-up work (related links, purges) goes
to the queue the environment configures once each write commits.
"""

import json
import os
import sys
from datetime import timedelta


def setup():
    """A section, an author, an editor and a live story on the pages."""
    from django.contrib.auth.models import User

    from articles import publishing
    from articles.models import Author, Section

    User.objects.create_superuser("editor", "", "a long password 123")
    section = Section.objects.create(name="Coast", slug="coast")
    author = Author.objects.create(name="Ann Writer", slug="ann-writer")
    story = publishing.create(
        by=None,
        headline="Harbour wall cracks",
        slug="harbour-wall-cracks",
        body="<p>The wall gave way.</p>",
        section=section,
        authors=[author],
        tags=["Harbour"],
        status="published",
    )
    return {"section": section.pk, "author": author.pk, "neighbour": story.pk}


def publish(headline, section, author, in_seconds=None, status="published"):
    """A new story: live now, scheduled `in_seconds` from now, or a draft."""
    from django.utils import timezone

    from articles import publishing

    at = None
    if in_seconds is not None:
        at = timezone.now() + timedelta(seconds=in_seconds)
    article = publishing.create(
        by=None,
        headline=headline,
        slug=headline.lower().replace(" ", "-"),
        body="<p>What the storm did.</p>",
        section_id=section,
        authors=[author],
        tags=["Harbour", "Storms"],
        status=status,
        published_at=at,
    )
    return {"article": article.pk, "url": article.get_absolute_url()}


def update(article, headline):
    from articles import publishing
    from articles.models import Article

    publishing.update(Article.objects.get(pk=article), by=None, headline=headline)
    return {}


def withdraw(article):
    from articles import publishing
    from articles.models import Article

    publishing.withdraw(
        Article.objects.get(pk=article), by=None, reason="Legal advice."
    )
    return {}


def session():
    """A signed-in editor's session cookie."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="editor"))
    return {"sessionid": client.cookies["sessionid"].value}


ACTIONS = {f.__name__: f for f in (setup, publish, update, withdraw, session)}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    action = sys.argv[1]
    arguments = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print("RESULT " + json.dumps(ACTIONS[action](**arguments)))
