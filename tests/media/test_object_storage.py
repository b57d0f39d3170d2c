"""Media in an S3-compatible bucket: a real `moto_server` process on loopback
(tests/media/conftest.py).

Uploads, renditions and imported pictures land in the bucket, pages, the API
and og:image name the CDN, replaced and deleted pictures leave it, and the
storage settings refuse what they cannot use.
"""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from articles.media.renditions import target_widths
from articles.models import Article, Image
from newsroom.media_storage import storage_from_environment
from tests.factories import jpeg_bytes, make_article

from .buckets import CDN, free_port, rendition_keys, upload

pytestmark = pytest.mark.django_db


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
    # WebP and JPEG at each width, and the link-preview crop
    assert len(rendition_keys(keys)) == 2 * len(widths) + 1
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
    social = image.made_renditions()["social"]["jpeg"]
    assert f'content="{CDN}/newsroom/{social}"' in html  # og:image, the crop


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
    assert len(rendition_keys(keys)) == 2 * len(target_widths(800)) + 1  # social
    # A re-run stores nothing twice.
    ok, out, err = import_file(source, media_dir=tmp_path)
    assert ok, err
    assert bucket() == keys


def test_the_readiness_probe_checks_the_bucket(bucket):
    response = Client().get("/readyz")
    assert json.loads(response.content)["checks"]["storage"] == "ok"
    assert bucket() == set(), "the probe's file is deleted again"


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
