"""An editor's process: the admin's own views, run through Django's test client
in a process of its own, against a scratch site (tests/faults/scratch.py).

    python -m tests.tasks.editor ACTION [JSON]

prints one line, `RESULT <json>`. The requests go through the whole stack
(middleware, the admin's transaction, its on-commit hooks) with the task
backend the environment configures, as a web process would.
"""

import io
import json
import os
import sys


def setup():
    """An editor, a section, an author and a published neighbour story."""
    from django.contrib.auth.models import User

    from articles.models import Author, Section
    from tests.factories import make_article

    User.objects.create_superuser("editor", "", "a long password 123")
    section = Section.objects.create(name="Coast", slug="coast")
    author = Author.objects.create(name="Ann Writer", slug="ann-writer")
    neighbour = make_article(
        headline="Harbour wall cracks", section=section, tags=["Harbour", "Storms"]
    )
    return {
        "section": section.pk,
        "author": author.pk,
        "neighbour": neighbour.pk,
        "neighbour_url": neighbour.get_absolute_url(),
    }


def client():
    from django.contrib.auth.models import User
    from django.test import Client

    editor = Client()
    editor.force_login(User.objects.get(username="editor"))
    return editor


def upload(width=900, height=600):
    """Upload a picture in the admin; its renditions are follow-up work."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    from articles.models import Image

    picture = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=95)
    response = client().post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("harbour.jpg", data.getvalue()),
            "alt": "Waves",
            "credit": "Staff photographer",
        },
    )
    return {"status": response.status_code, "image": Image.objects.last().pk}


def publish(headline, section, author, tags="Harbour, Storms", image=""):
    """Publish a story through the article form; its related links follow."""
    from articles.models import Article

    response = client().post(
        "/admin/articles/article/add/",
        {
            "headline": headline,
            "slug": headline.lower().replace(" ", "-"),
            "kicker": "",
            "deck": "What the storm did.",
            "body": "<p>The storm came in at night.</p>",
            "section": section,
            "tags": tags,
            "hero_image": image,
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "withdrawn_reason": "",
            "seo_title": "",
            "seo_description": "",
            "canonical_url": "",
            "language": "en",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": author,
            "bylines-0-position": "0",
            "related_links-TOTAL_FORMS": "0",
            "related_links-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    article = Article.objects.filter(headline=headline).first()
    return {
        "status": response.status_code,
        "article": article.pk if article else None,
        "url": article.get_absolute_url() if article else None,
    }


def unpublish(article):
    """Take a story back to draft with the list's action."""
    response = client().post(
        "/admin/articles/article/",
        {"action": "unpublish", "_selected_action": [article]},
    )
    return {"status": response.status_code}


ACTIONS = {f.__name__: f for f in (setup, upload, publish, unpublish)}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    action = ACTIONS[sys.argv[1]]
    arguments = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print("RESULT " + json.dumps(action(**arguments)))
