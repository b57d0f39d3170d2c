"""A picture's credit, rights holder and usage terms travel in ninjs, on the
picture association (`copyrightholder`, `copyrightnotice`, `usageterms`),
both ways, and the export stays valid against IPTC's schema."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Image
from articles.ninjs import article_to_ninjs
from tests.factories import jpeg_bytes, make_article
from tests.ingest.test_import_articles import run_import
from tests.ninjs_schema import needs_schemas, schema_errors

pytestmark = pytest.mark.django_db


def pictured_story(**picture):
    image = Image.objects.create(
        file=SimpleUploadedFile("quay.jpg", jpeg_bytes()),
        alt="Ships at the quay",
        credit="Cy Li/TT",
        source="TT News Agency",
        usage_terms="Editorial use only. No archiving.",
        **picture,
    )
    return make_article(headline="Harbour reopens", hero_image=image)


@needs_schemas
def test_the_export_carries_the_rights_and_is_valid():
    item = article_to_ninjs(pictured_story())
    assert schema_errors(item) == []
    association = item["associations"][0]
    assert association["by"] == "Cy Li/TT"
    assert association["copyrightholder"] == "TT News Agency"
    assert association["copyrightnotice"] == "Cy Li/TT"
    assert association["usageterms"] == "Editorial use only. No archiving."


def test_an_expired_picture_is_not_exported():
    story = pictured_story(rights_expire_at=timezone.now() - timedelta(minutes=1))
    assert "associations" not in article_to_ninjs(story)


def test_an_import_reads_them(tmp_path):
    source = tmp_path / "story.json"
    source.write_text(
        json.dumps(
            {
                "uri": "urn:tt:story:1",
                "headline": "Harbour reopens",
                "body_html": "<p>The first ships came back.</p>",
                "by": "Ann Lee",
                "associations": {
                    "featureimage": {
                        "uri": "urn:tt:picture:1",
                        "type": "picture",
                        "headline": "Ships at the quay",
                        "copyrightholder": "TT News Agency",
                        "copyrightnotice": "© Cy Li/TT",
                        "usageterms": "Editorial use only.",
                        "renditions": {
                            "original": {"href": "https://img.example/1.jpg"}
                        },
                    }
                },
            }
        )
    )
    ok, _, err = run_import(source)
    assert ok, err
    image = Article.objects.get().hero_image
    assert (image.credit, image.source, image.usage_terms) == (
        "© Cy Li/TT",
        "TT News Agency",
        "Editorial use only.",
    )


def test_an_export_comes_back_with_its_rights(tmp_path):
    pictured_story()
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    dump = tmp_path / "out.jsonl"
    dump.write_text(out.getvalue())
    Article.objects.all().delete()
    Image.objects.all().delete()
    ok, _, err = run_import(dump)
    assert ok, err
    image = Article.objects.get().hero_image
    assert (image.credit, image.source, image.usage_terms) == (
        "Cy Li/TT",
        "TT News Agency",
        "Editorial use only. No archiving.",
    )


def test_a_point_of_interest_is_the_focal_point(tmp_path):
    original = {
        "href": "https://img.example/2.jpg",
        "width": 1600,
        "height": 900,
        "poi": {"x": 400, "y": 225},
    }
    source = tmp_path / "story.json"
    source.write_text(
        json.dumps(
            {
                "uri": "urn:tt:story:2",
                "headline": "Sunrise over the harbour",
                "body_html": "<p>A clear morning.</p>",
                "by": "Ann Lee",
                "associations": {
                    "featureimage": {
                        "uri": "urn:tt:picture:2",
                        "type": "picture",
                        "headline": "The sun over the quay",
                        "renditions": {"original": original},
                    }
                },
            }
        )
    )
    ok, _, err = run_import(source)
    assert ok, err
    image = Article.objects.get().hero_image
    assert (image.focal_x, image.focal_y) == (0.25, 0.25)
