import io

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PILImage

from articles.media import renditions
from articles.media.renditions import WIDTHS, make_renditions
from articles.media.tasks import make_image_renditions
from articles.models import Article, Image, PendingWork
from articles.tasks import record_renditions
from tests.factories import jpeg_bytes, make_article

pytestmark = pytest.mark.django_db


def photo_with_exif(size=(2000, 1000)):
    """A JPEG taken sideways (EXIF orientation 6) with GPS data."""
    picture = PILImage.new("RGB", size, "steelblue")
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def stored_image(data, name="photo.jpg", **fields):
    """An Image whose file is written straight to storage (no upload checks)."""
    path = default_storage.save(f"images/{name}", ContentFile(data))
    return Image.objects.create(file=path, alt="A picture", **fields)


def test_renditions_are_upright_stripped_and_in_both_formats():
    image = stored_image(photo_with_exif())
    manifest = make_renditions(image)
    assert (manifest["width"], manifest["height"]) == (1000, 2000)  # turned upright
    assert [s["width"] for s in manifest["sizes"]] == [320, 640, 960, 1000]
    for size in manifest["sizes"]:
        for fmt, expected in (("jpeg", "JPEG"), ("webp", "WEBP")):
            with default_storage.open(size[fmt]) as file:
                picture = PILImage.open(file)
                assert picture.format == expected
                assert picture.size == (size["width"], size["height"])
                assert not picture.getexif()
                assert "icc_profile" not in picture.info
            assert size[f"{fmt}_bytes"] == default_storage.size(size[fmt])


def test_never_upscaled_and_capped_at_the_widest():
    small = make_renditions(stored_image(jpeg_bytes((200, 100)), "small.jpg"))
    assert [s["width"] for s in small["sizes"]] == [200]
    big = make_renditions(stored_image(jpeg_bytes((3000, 1500)), "big.jpg"))
    assert [s["width"] for s in big["sizes"]] == list(WIDTHS)


def test_transparent_pictures_are_flattened():
    buffer = io.BytesIO()
    PILImage.new("RGBA", (400, 300), (255, 0, 0, 0)).save(buffer, "PNG")
    manifest = make_renditions(stored_image(buffer.getvalue(), "clear.png"))
    assert manifest["sizes"][0]["jpeg"].endswith(".jpg")


@pytest.mark.parametrize(
    "data",
    [jpeg_bytes((800, 600))[:300], b"<svg onload='alert(1)'></svg>", b""],
    ids=["truncated", "svg", "empty"],
)
def test_unreadable_pictures_get_a_placeholder_not_an_error(client, data):
    image = stored_image(data, "bad.jpg")
    assert "error" in make_renditions(image)
    assert image.picture() is None
    article = make_article(hero_image=image)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "img/placeholder.svg" in response.content.decode()


def test_a_missing_source_file_gets_a_placeholder(client):
    image = stored_image(jpeg_bytes((800, 600)), "gone.jpg")
    default_storage.delete(image.file.name)
    make_renditions(image)
    article = make_article(hero_image=image)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "img/placeholder.svg" in response.content.decode()


def test_pages_use_srcset_sizes_and_dimensions(client):
    image = stored_image(jpeg_bytes((1600, 900)), "hero.jpg")
    make_renditions(image)
    article = make_article(hero_image=image)
    make_article(hero_image=image, section=article.section)
    make_article(hero_image=image, section=article.section)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in page
    assert ".webp 1600w" in page and ".jpg 320w" in page
    assert 'sizes="(min-width: 1040px) 1040px, 100vw"' in page
    assert 'width="1600" height="900"' in page
    assert 'fetchpriority="high"' in page
    listing = client.get(article.section.get_absolute_url()).content.decode()
    assert listing.count('loading="lazy"') >= 2  # cards below the first one


def test_pictures_without_renditions_yet_show_as_uploaded(client):
    image = stored_image(jpeg_bytes((640, 360)), "new.jpg")
    assert image.made_renditions() is None
    article = make_article(hero_image=image)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{image.file.url}"' in page


def test_pages_switch_to_renditions_once_they_are_made(client):
    image = stored_image(jpeg_bytes((640, 360)), "later.jpg")
    article = make_article(hero_image=image)
    assert "srcset" not in client.get(article.get_absolute_url()).content.decode()
    make_renditions(image)
    article.save()  # a write retires the page cache; the picture cache follows
    assert "srcset" in client.get(article.get_absolute_url()).content.decode()


def test_pages_never_make_renditions(client, monkeypatch):
    image = stored_image(jpeg_bytes((640, 360)), "lazy.jpg")
    article = make_article(hero_image=image)

    def refuse(*args):
        raise AssertionError("renditions made during a request")

    monkeypatch.setattr(renditions, "make_renditions", refuse)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


def test_made_once_after_an_upload_is_committed(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/articles/image/add/",
            {"file": SimpleUploadedFile("up.jpg", jpeg_bytes((700, 400))), "alt": "Up"},
        )
    assert response.status_code == 302
    image = Image.objects.get()
    manifest = image.made_renditions()
    assert manifest and manifest["sizes"][-1]["width"] == 700
    assert not PendingWork.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record_renditions([image.pk])  # the same file again: nothing to make
    assert not PendingWork.objects.exists()
    assert make_image_renditions.call([]) == 0


def test_command_catches_up_pictures_without_renditions(capsys):
    first = stored_image(jpeg_bytes((500, 300)), "one.jpg")
    stored_image(b"not a picture", "two.jpg")
    call_command("make_renditions")
    first.refresh_from_db()
    assert first.made_renditions()["sizes"]
    out = capsys.readouterr()
    assert "1 made, 1 unreadable." in out.out
    call_command("make_renditions")
    assert "0 made, 0 unreadable." in capsys.readouterr().out


def test_feed_enclosure_uses_a_rendition(client):
    image = stored_image(jpeg_bytes((1600, 900)), "feed.jpg")
    make_renditions(image)
    make_article(hero_image=image, status=Article.Status.PUBLISHED)
    body = client.get("/feed/").content.decode()
    assert "/1280.jpg" in body and 'width="1280"' in body


def test_pages_keep_their_srcsets_when_storage_cannot_be_read(client, monkeypatch):
    """What a page shows of a picture is on the Image row: neither the cache
    nor media storage (an object store that may be slow or down) is read."""
    image = stored_image(jpeg_bytes((1600, 900)), "hero.jpg")
    make_renditions(image)
    article = make_article(hero_image=image)
    cache.clear()

    def unreachable(*args, **kwargs):
        raise OSError("storage unreachable")

    monkeypatch.setattr(FileSystemStorage, "open", unreachable)
    page = client.get(article.get_absolute_url()).content.decode()
    assert ".webp 1600w" in page and ".jpg 320w" in page
