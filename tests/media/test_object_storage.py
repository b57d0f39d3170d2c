"""Media in an S3-compatible bucket: a real `moto_server` process on loopback.

The settings are built from the same environment variables an operator sets
(newsroom/media_storage.py); uploads, renditions and imported pictures land in
the bucket, pages name the CDN, and a storage that cannot be reached is told
to the editor, the operator and the readiness probe, never as a server error.
"""

import io
import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from articles.media.renditions import target_widths
from articles.media.tasks import make_image_renditions
from articles.models import Article, Author, Image, PendingWork
from newsroom.media_storage import storage_from_environment
from tests.factories import jpeg_bytes, make_article
from tests.ingest.test_import_articles import run_import

pytestmark = pytest.mark.django_db

CDN = "https://cdn.example.test"
START_TIMEOUT = 30  # seconds for the server to say it listens


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def moto_server_command():
    beside_python = Path(sys.executable).with_name("moto_server")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("moto_server")


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto_server process on a free loopback port, until the module ends."""
    command = moto_server_command()
    if command is None:
        pytest.skip(
            "moto_server is not installed (pip install -r requirements-dev.txt)"
        )
    port = free_port()
    server = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # Werkzeug says "Running on http://127.0.0.1:PORT" once it listens.
    said = b""
    with selectors.DefaultSelector() as selector:
        selector.register(server.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        while b"Running on" not in said:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                break
            chunk = os.read(server.stderr.fileno(), 4096)
            if not chunk:
                break  # the process ended
            said += chunk
    if b"Running on" not in said:
        server.kill()
        server.wait()
        pytest.skip(
            f"moto_server did not start: {said[-500:].decode(errors='replace')}"
        )
    # Nobody reads its log from here on: let it go nowhere rather than fill a pipe.
    server.stderr.close()
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "newsroom-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "newsroom-test-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def bucket(s3_endpoint, credentials, settings):
    """A new, empty bucket that media storage points at, as configured by
    MEDIA_STORAGE_URL and MEDIA_PUBLIC_URL; its objects as a set of keys."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1"
    )  # the test's own look at the bucket
    client.create_bucket(Bucket=name)
    environment = {
        "MEDIA_STORAGE_URL": f"s3://{name}/newsroom?endpoint={s3_endpoint}",
        "MEDIA_PUBLIC_URL": CDN,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(environment),
    }

    def keys():
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    keys.client = client
    keys.name = name
    return keys


@pytest.fixture
def unreachable_storage(credentials, settings):
    """Media storage pointing at a loopback port where nothing listens."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(
            {"MEDIA_STORAGE_URL": f"s3://gone?endpoint={endpoint}"}
        ),
    }
    return endpoint


@pytest.fixture
def editor(admin_client, django_capture_on_commit_callbacks):
    """The admin client; what a request leaves for after its commit (the
    renditions task, deleting files) is done as the request ends."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(url, data)

    admin_client.post_committed = post
    return admin_client


@pytest.fixture
def import_file(django_capture_on_commit_callbacks):
    def run(*args, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return run_import(*args, **options)

    return run


def run_command(*args):
    """Run a management command; returns (succeeded, stderr and its message)."""
    err = io.StringIO()
    try:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return False, f"{err.getvalue()}{exc}"
    return True, err.getvalue()


def upload(client, data=None, name="council.jpg", pk=None):
    url = f"/admin/articles/image/{pk}/change/" if pk else "/admin/articles/image/add/"
    return client.post_committed(
        url,
        {
            "file": SimpleUploadedFile(name, data or jpeg_bytes((1400, 800))),
            "alt": "The council chamber",
        },
    )


def rendition_keys(keys):
    return {key for key in keys if key.startswith("newsroom/renditions/")}


def test_an_upload_and_its_renditions_are_objects_and_pages_name_the_cdn(
    editor, bucket, django_assert_max_num_queries
):
    response = upload(editor)
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.made_renditions()["sizes"], "renditions made by the task"
    keys = bucket()
    assert f"newsroom/{image.file.name}" in keys
    widths = target_widths(1400)
    assert len(rendition_keys(keys)) == 2 * len(widths)  # WebP and JPEG each
    stored = bucket.client.get_object(
        Bucket=bucket.name, Key=f"newsroom/{image.file.name}"
    )
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == "public, max-age=86400"

    article = make_article(hero_image=image)
    with django_assert_max_num_queries(12):
        page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    picture_urls = re.findall(r'(?:src|srcset)="([^"]+)"', html)
    image_urls = [
        url.split()[0]
        for found in picture_urls
        for url in found.split(", ")
        if "/renditions/" in url or "/images/" in url
    ]
    assert len(image_urls) >= 2 * len(widths)
    for url in image_urls:
        assert url.startswith(f"{CDN}/newsroom/"), url
        assert url.removeprefix(f"{CDN}/") in keys, url
    assert f'content="{CDN}/newsroom/{image.file.name}"' in html  # og:image


def test_the_api_gives_the_cdn_address_of_the_picture(editor, bucket):
    upload(editor)
    image = Image.objects.get()
    article = make_article(hero_image=image)
    response = Client().get(f"/api/articles/{article.pk}/")
    assert response.status_code == 200
    (picture,) = response.json()["associations"]
    assert picture["renditions"][0]["href"] == f"{CDN}/newsroom/{image.file.name}"


def test_two_uploads_with_one_name_are_two_objects(editor, bucket):
    upload(editor, jpeg_bytes((700, 400), "red"), name="photo.jpg")
    upload(editor, jpeg_bytes((700, 400), "blue"), name="photo.jpg")
    first, second = Image.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert {f"newsroom/{first.file.name}", f"newsroom/{second.file.name}"} <= bucket()


def test_replacing_a_picture_replaces_its_objects(editor, bucket):
    upload(editor, name="before.jpg")
    image = Image.objects.get()
    before = bucket()
    response = upload(editor, jpeg_bytes((900, 500), "olive"), "after.jpg", image.pk)
    assert response.status_code == 302
    image = Image.objects.get(pk=image.pk)
    after = bucket()
    assert f"newsroom/{image.file.name}" in after
    assert image.made_renditions()["width"] == 900
    # The old original and its renditions are gone; only the new ones remain.
    assert after == {f"newsroom/{image.file.name}"} | rendition_keys(after)
    assert not rendition_keys(before) & rendition_keys(after)
    html = Client().get(make_article(hero_image=image).get_absolute_url())
    html = html.content.decode()
    assert all(f"{CDN}/{key}" in html for key in rendition_keys(after))
    assert not any(f"{CDN}/{key}" in html for key in rendition_keys(before))


def test_deleting_a_picture_deletes_its_objects(editor, bucket):
    upload(editor)
    image = Image.objects.get()
    assert bucket()
    response = editor.post_committed(
        f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert bucket() == set()


def test_a_file_another_picture_uses_is_kept(editor, bucket):
    upload(editor)
    image = Image.objects.get()
    twin = Image.objects.create(
        file=image.file.name,
        alt="The same bytes, imported again",
        rendition_manifest=image.rendition_manifest,
    )
    kept = bucket()
    response = editor.post_committed(
        f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert bucket() == kept
    assert twin.picture()["src"].startswith(f"{CDN}/newsroom/renditions/")


def test_an_imported_picture_is_stored_in_the_bucket(tmp_path, bucket, import_file):
    (tmp_path / "tide.jpg").write_bytes(jpeg_bytes((800, 600)))
    picture = {"type": "picture", "renditions": {"original": {"href": "tide.jpg"}}}
    source = tmp_path / "tides.jsonl"
    source.write_text(
        json.dumps(
            {
                "uri": "urn:tides:1",
                "headline": "High tide",
                "body_html": "<p>The water rose.</p>",
                "subject": [{"name": "Tides"}],
                "associations": {"featureimage": picture},
            }
        )
    )
    ok, out, err = import_file(source, media_dir=tmp_path)
    assert ok, err
    image = Article.objects.get().hero_image
    keys = bucket()
    assert f"newsroom/{image.file.name}" in keys
    assert len(rendition_keys(keys)) == 2 * len(target_widths(800))
    # A re-run stores nothing twice.
    ok, out, err = import_file(source, media_dir=tmp_path)
    assert ok, err
    assert bucket() == keys


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


def test_the_readiness_probe_checks_the_bucket(bucket):
    response = Client().get("/readyz")
    assert json.loads(response.content)["checks"]["storage"] == "ok"
    assert bucket() == set(), "the probe's file is deleted again"


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


def test_pages_need_no_storage_once_renditions_are_made(editor, bucket, settings):
    upload(editor)
    article = make_article(hero_image=Image.objects.get())
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(
            {
                "MEDIA_STORAGE_URL": f"s3://{bucket.name}/newsroom"
                f"?endpoint=http://127.0.0.1:{free_port()}",
                "MEDIA_PUBLIC_URL": CDN,
            }
        ),
    }
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    assert f'srcset="{CDN}/newsroom/renditions/' in page.content.decode()


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


@pytest.mark.parametrize(
    "environment, message",
    [
        ({"MEDIA_STORAGE_URL": "http://bucket"}, "must look like s3://"),
        ({"MEDIA_STORAGE_URL": "s3://"}, "names no bucket"),
        ({"MEDIA_STORAGE_URL": "s3://key:secret@bucket"}, "must not hold credentials"),
        (
            {"MEDIA_STORAGE_URL": "s3://b?endpiont=http://x"},
            "unknown option(s) endpiont",
        ),
        ({"MEDIA_STORAGE_URL": "s3://b?endpoint=minio:9000"}, "http:// or https://"),
        (
            {"AWS_STORAGE_BUCKET_NAME": "b", "MEDIA_PUBLIC_URL": "cdn.example.org"},
            "MEDIA_PUBLIC_URL must be an http:// or https:// address",
        ),
    ],
)
def test_a_bad_storage_setting_is_refused_with_the_reason(environment, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        storage_from_environment(environment)
    assert message in str(refused.value)
    assert "secret" not in str(refused.value)


def test_the_aws_variables_configure_the_same_storage():
    from_variables = storage_from_environment(
        {
            "AWS_STORAGE_BUCKET_NAME": "news-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
            "AWS_S3_REGION_NAME": "eu-west-1",
            "AWS_LOCATION": "site",
            "AWS_S3_CUSTOM_DOMAIN": "cdn.example.org",
        }
    )
    assert from_variables["BACKEND"] == "storages.backends.s3.S3Storage"
    options = from_variables["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("news-media", "site")
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "eu-west-1"
    assert options["custom_domain"] == "cdn.example.org"
    assert storage_from_environment({})["BACKEND"].endswith("FileSystemStorage")
