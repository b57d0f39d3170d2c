"""Media storage that cannot be reached or refuses (tests/media/conftest.py):
the editor is told and nothing is saved, renditions wait for it, imports and
make_renditions stop with a message, feeds still go out, and /readyz says so
without naming the endpoint. Never a server error.
"""

import json

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.media.tasks import make_image_renditions
from articles.models import Article, Author, Image, PendingWork
from newsroom.media_storage import storage_from_environment
from tests.factories import jpeg_bytes, make_article

from .buckets import free_port, run_command, upload

pytestmark = pytest.mark.django_db


def test_renditions_wait_for_the_storage_rather_than_mark_the_picture_unreadable(
    admin_client, bucket, settings
):
    reachable = settings.STORAGES
    upload_response = admin_client.post(  # its after-commit work is not run
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("a.jpg", jpeg_bytes((700, 400))), "alt": "A"},
    )
    assert upload_response.status_code == 302
    image = Image.objects.get()
    work = [row.pk for row in PendingWork.objects.all()]
    assert work, "the renditions are on record"
    settings.STORAGES = {
        **reachable,
        "default": storage_from_environment(
            {"MEDIA_STORAGE_URL": f"s3://{bucket.name}/newsroom"
             f"?endpoint=http://127.0.0.1:{free_port()}"}
        ),
    }  # fmt: skip
    with pytest.raises(EndpointConnectionError):
        make_image_renditions.call(work)
    # (Fetched anew: refresh_from_db() would measure the file again, in storage.)
    image = Image.objects.get(pk=image.pk)
    assert image.rendition_manifest is None  # shown as uploaded, not a placeholder
    assert PendingWork.objects.filter(pk__in=work).count() == len(work)
    ok, err = run_command("make_renditions")
    assert not ok
    assert "Media storage failed" in err and "safe to re-run" in err

    settings.STORAGES = reachable  # the storage is back: the work is done
    assert make_image_renditions.call(work) == 1
    image = Image.objects.get(pk=image.pk)
    assert image.made_renditions()["sizes"]
    assert not PendingWork.objects.filter(pk__in=work).exists()


def test_an_unreachable_storage_fails_readyz_without_naming_it(unreachable_storage):
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert "storage" in body["failing"]
    assert body["checks"]["storage"] == "not reachable"
    text = response.content.decode()
    for secret in ("127.0.0.1", unreachable_storage, "gone", "newsroom-test"):
        assert secret not in text


def test_an_unreachable_storage_is_told_to_the_editor_and_nothing_is_saved(
    editor, unreachable_storage
):
    response = upload(editor)
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/image/add/"
    page = editor.get(response["Location"])
    assert page.status_code == 200
    assert "the media storage is not reachable. Nothing was saved" in (
        page.content.decode()
    )
    assert not Image.objects.exists()


def test_a_bucket_that_refuses_is_told_to_the_editor_and_to_readyz(
    editor, s3_endpoint, credentials, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(
            {"MEDIA_STORAGE_URL": f"s3://no-such-bucket?endpoint={s3_endpoint}"}
        ),
    }
    response = upload(editor)
    assert response.status_code == 302
    page = editor.get(response["Location"]).content.decode()
    assert "the media storage refused it. Nothing was saved" in page
    assert not Image.objects.exists()
    probe = Client().get("/readyz")
    assert probe.status_code == 503
    assert json.loads(probe.content)["checks"]["storage"] == "not writable"
    assert "no-such-bucket" not in probe.content.decode()


def test_an_unreachable_storage_is_told_on_an_author_photo_too(
    editor, unreachable_storage
):
    author = Author.objects.create(name="Ada Reporter", slug="ada-reporter")
    response = editor.post_committed(
        f"/admin/articles/author/{author.pk}/change/",
        {
            "name": "Ada Reporter",
            "slug": "ada-reporter",
            "photo": SimpleUploadedFile("ada.jpg", jpeg_bytes((300, 300))),
        },
    )
    assert response.status_code == 302
    page = editor.get(response["Location"])
    assert "the media storage is not reachable" in page.content.decode()
    author.refresh_from_db()
    assert not author.photo


def test_an_import_stops_with_a_message_when_storage_is_unreachable(
    tmp_path, unreachable_storage, import_file
):
    (tmp_path / "tide.jpg").write_bytes(jpeg_bytes((800, 600)))
    picture = {"type": "picture", "renditions": {"original": {"href": "tide.jpg"}}}
    source = tmp_path / "tides.jsonl"
    source.write_text(
        json.dumps(
            {
                "uri": "urn:tides:1",
                "headline": "High tide",
                "body_html": "<p>The water rose.</p>",
                "associations": {"featureimage": picture},
            }
        )
    )
    ok, out, err = import_file(source, media_dir=tmp_path)
    assert not ok
    assert "Media storage failed, the import stopped" in err
    assert "safe to re-run" in err
    assert not Article.objects.exists()


def test_feeds_go_out_without_an_enclosure_the_storage_cannot_measure(
    unreachable_storage,
):
    image = Image.objects.create(
        file="images/2026/01/new.jpg", alt="New", width=800, height=600
    )
    make_article(headline="Harbour reopens", hero_image=image)
    response = Client().get("/feed/")
    assert response.status_code == 200
    assert "Harbour reopens" in response.content.decode()
    assert "<enclosure" not in response.content.decode()
