"""IPTC's own ninjs JSON Schemas, read in place from ../shared/fixtures/specs.

They are never copied into the project; without that folder the tests that
validate against them skip. Formats are asserted too (`date-time`, `uri`),
which JSON Schema leaves optional: receivers that check them must accept us.
"""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from articles.models import Article, Correction, Image
from tests.factories import jpeg_bytes, make_article, make_author
from tests.ingest.test_import_articles import SHARED

SCHEMAS = SHARED / "specs" / "ninjs"
EMITTED_VERSION = "2.1"

needs_schemas = pytest.mark.skipif(
    not SCHEMAS.is_dir(), reason="IPTC ninjs schemas (../shared/fixtures/specs) absent"
)


def schema_errors(item, version=EMITTED_VERSION):
    """Every way `item` breaks the official ninjs `version` schema, as text."""
    schema = json.loads((SCHEMAS / f"ninjs-schema_{version}.json").read_text())
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(item)
    ]


def make_realistic_articles():
    """What a newsroom holds: live articles with several authors, tags, a picture
    (offered by its source in several renditions) and a correction, and a
    scheduled, a withdrawn and a draft one. Returns them by role."""
    ada, ben = make_author(name="Ada Reporter"), make_author(name="Ben Second")
    picture = Image.objects.create(
        file=SimpleUploadedFile("harbour.jpg", jpeg_bytes()),
        alt="Ships at the quay",
        caption="The first ships back, on Monday.",
        credit="Cy Photographer",
        source_uri="https://photos.example/harbour/1",
        renditions=[
            {
                "name": "thumbnail",
                "href": "https://photos.example/harbour/1/thumb.jpg",
                "width": 160,
                "height": 120,
                "mimetype": "image/jpeg",
                "usage": "",
            },
            {
                "name": "viewImage",
                "href": "https://photos.example/harbour/1/view.jpg",
                "width": None,
                "height": None,
                "mimetype": "",
                "usage": "",
            },
        ],
    )
    now = timezone.now()
    articles = {
        "lead": make_article(
            headline="Harbour reopens",
            deck="Ships return.",
            authors=[ada, ben],
            tags=["Harbour", "Shipping"],
            hero_image=picture,
            credit="Newsroom wire",
            published_at=now - timedelta(hours=2),
        ),
        "corrected": make_article(
            headline="Council votes on budget",
            authors=[ben],
            tags=["Council"],
            published_at=now - timedelta(days=1),
        ),
        "bare": make_article(
            headline="Brief",
            deck="",
            authors=[],
            published_at=now - timedelta(hours=3),
        ),
        "scheduled": make_article(
            headline="Tomorrow's match", published_at=now + timedelta(days=1)
        ),
        "withdrawn": make_article(
            headline="Withdrawn story",
            status=Article.Status.WITHDRAWN,
            published_at=now - timedelta(days=2),
        ),
        "draft": make_article(
            headline="Draft", status=Article.Status.DRAFT, published_at=None
        ),
    }
    Correction.objects.create(
        article=articles["corrected"], text="<p>The vote is on Tuesday.</p>"
    )
    return articles
