"""Hostile picture uploads: each refused with a form error, or stored re-encoded.

Bombs are crafted as headers (a few hundred bytes that *declare* huge sizes);
nothing here allocates a big image. What must hold after every case: no Image
row and no file for a refused upload; a stored picture is a fresh encoding of
the pixels only (no EXIF/GPS, no text chunks, nothing appended); a picture that
slipped past the checks still leaves its page serving a placeholder.
"""

import io
import logging
import os
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import EpsImagePlugin
from PIL import Image as PILImage

from articles.images import reencoded, validate_image_file
from articles.media import renditions
from articles.models import Author, Image, PendingWork
from articles.tasks import record_renditions
from tests.factories import jpeg_bytes, make_article

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


# Crafted files


def chunk(kind, data):
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_declaring(width, height):
    """A tiny PNG whose header declares `width`×`height` pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def encoded(picture, fmt, **options):
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def noise(size=(64, 48), mode="RGB"):
    """A picture that does not compress away (so half a file is half the data)."""
    return PILImage.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))


def animation(fmt, frames, size=(1, 1)):
    colours = ["red", "blue", "green", "white"]
    pictures = [PILImage.new("RGB", size, colours[i % 4]) for i in range(frames)]
    return encoded(
        pictures[0], fmt, save_all=True, append_images=pictures[1:], duration=50
    )


def gif_declaring(width, height, frames):
    """A GIF of `frames` 1×1 frames on a logical screen of `width`×`height`."""
    data = bytearray(animation("GIF", frames))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def psd():
    header = b"8BPS" + struct.pack(">H6sHIIHH", 1, b"\0" * 6, 3, 8, 8, 8, 3)
    return header + b"\0\0\0\0" * 3 + b"\0\0" + b"\x80" * (8 * 8 * 3)


def photo_with_gps():
    """A 40×20 JPEG taken sideways (orientation 6): red left, blue right,
    with GPS coordinates, a camera serial number and an ICC profile."""
    picture = PILImage.new("RGB", (40, 20), "blue")
    picture.paste("red", (0, 0, 20, 20))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "CameraMaker"
    exif[0xA431] = "SERIAL-1234"
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 30.0), 3: "E", 4: (4.0, 53.0, 0.0)}
    return encoded(
        picture, "JPEG", exif=exif.tobytes(), icc_profile=b"fake icc profile " * 8
    )


# Through the admin


def upload(client, data, name="photo.jpg", content_type="image/jpeg", **fields):
    fields.setdefault("alt", "A picture")
    return client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile(name, data, content_type), **fields},
    )


def stored_files(folder="images"):
    root = settings.MEDIA_ROOT / folder
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_refused(response, message):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "errorlist" in page
    assert message in page, page[page.find("errorlist") - 200 :][:1500]
    assert not Image.objects.exists()
    assert stored_files() == []


def stored_bytes(image):
    with image.file.open("rb") as file:
        return file.read()


REFUSED = {
    "pixel bomb 50k×50k PNG": (
        lambda: png_declaring(50_000, 50_000),
        "could not be read",
    ),
    "between 1× and 2× Pillow's limit": (
        lambda: png_declaring(12_000, 11_200),  # 134 MP: Pillow only warns
        "could not be read",
    ),
    "over our cap, under Pillow's": (
        lambda: png_declaring(8_000, 7_500),  # 60 MP > 50 MP
        "too large (8000×7500 pixels)",
    ),
    "many-frame GIF": (
        lambda: gif_declaring(5_000, 5_000, 3),  # 3 × 25 MP
        "3 frames",
    ),
    "truncated JPEG": (
        lambda: (lambda d: d[: len(d) // 2])(encoded(noise(), "JPEG")),
        "could not be read",
    ),
    "truncated PNG": (
        lambda: (lambda d: d[: len(d) // 2])(encoded(noise(), "PNG")),
        "could not be read",
    ),
    "TIFF named .jpg": (lambda: encoded(noise(), "TIFF"), "not a JPEG, PNG"),
    "BMP named .jpg": (lambda: encoded(noise(), "BMP"), "not a JPEG, PNG"),
    "PDF named .jpg": (lambda: encoded(noise(), "PDF"), "not a JPEG, PNG"),
    "EPS named .jpg": (lambda: encoded(noise(), "EPS"), "not a JPEG, PNG"),
    "PSD named .jpg": (psd, "not a JPEG, PNG"),
    "SVG named .jpg": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "SVG is not accepted",
    ),
    "HTML named .jpg": (lambda: SCRIPT, "not a JPEG, PNG"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_through_the_admin(admin_client, case):
    make, message = REFUSED[case]
    assert_refused(upload(admin_client, make()), message)


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_as_an_author_photo(admin_client, case):
    make, message = REFUSED[case]
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Ann Writer",
            "slug": "ann-writer",
            "photo": SimpleUploadedFile("me.jpg", make(), "image/jpeg"),
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Author.objects.exists()
    assert stored_files("authors") == []


def test_the_mismatched_files_really_are_what_they_claim():
    """Guard for the cases above: Pillow would open each if we let it."""
    for case, fmt in [("TIFF", "TIFF"), ("BMP", "BMP"), ("EPS", "EPS"), ("PSD", "PSD")]:
        data = REFUSED[f"{case} named .jpg"][0]()
        assert PILImage.open(io.BytesIO(data)).format == fmt


def test_between_1x_and_2x_the_pillow_warning_alone_refuses(settings):
    """Pillow only warns between 1× and 2× MAX_IMAGE_PIXELS; the warning is an
    error for us even when our own cap would allow the size."""
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 10**9
    pixels = 12_000 * 11_200
    assert PILImage.MAX_IMAGE_PIXELS < pixels < 2 * PILImage.MAX_IMAGE_PIXELS
    with pytest.raises(Exception, match="decompression bomb"):
        validate_image_file(ContentFile(png_declaring(12_000, 11_200)))


def test_frames_times_pixels_is_capped_for_gif_and_webp(settings, admin_client):
    # libwebp allocates the whole canvas when a file is opened, so the WebP
    # case lowers the cap rather than declaring a huge canvas.
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 100_000
    one_frame = 64 * 64
    kinds = (("GIF", "anim.gif"), ("WEBP", "anim.webp"))
    for fmt, name in kinds:
        many = animation(fmt, 30, (64, 64))
        assert PILImage.open(io.BytesIO(many)).n_frames == 30
        assert 30 * one_frame > 100_000 > one_frame
        response = upload(admin_client, many, name, f"image/{fmt.lower()}")
        assert_refused(response, "30 frames")
    for fmt, name in kinds:  # a few frames fit, and stay animated
        few = animation(fmt, 4, (64, 64))
        assert (
            upload(admin_client, few, name, f"image/{fmt.lower()}").status_code == 302
        )
    stored = [PILImage.open(p) for p in stored_files()]
    assert sorted((p.format, p.n_frames) for p in stored) == [("GIF", 4), ("WEBP", 4)]


def test_eps_never_reaches_ghostscript(admin_client, monkeypatch):
    calls = []

    def ghostscript(*args, **kwargs):
        calls.append(args)
        raise AssertionError("Ghostscript was started")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", ghostscript)
    monkeypatch.setattr(EpsImagePlugin, "has_ghostscript", lambda: True)
    eps = encoded(noise(), "EPS")
    assert_refused(upload(admin_client, eps, "photo.eps"), "not a JPEG, PNG")
    assert_refused(upload(admin_client, eps, "photo.jpg"), "not a JPEG, PNG")
    with pytest.raises(Exception):  # noqa: B017 - the renditions decoder too
        renditions.decode(io.BytesIO(eps))
    assert calls == []


def test_svg_is_refused_under_any_name(admin_client):
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script><foreignObject/></svg>"
    )
    for name, ctype in (("logo.svg", "image/svg+xml"), ("logo.png", "image/png")):
        assert_refused(upload(admin_client, svg, name, ctype), "SVG is not accepted")


def test_empty_file_is_refused(admin_client):
    assert_refused(upload(admin_client, b""), "The submitted file is empty.")
    with pytest.raises(Exception, match="empty"):
        validate_image_file(SimpleUploadedFile("x.jpg", b""))


def test_oversized_file_is_refused(admin_client, settings):
    data = encoded(noise((200, 200)), "PNG")
    settings.NEWSROOM_MAX_UPLOAD_BYTES = len(data) - 1
    limit = f"{(len(data) - 1) / 1024:.1f}\xa0KB"
    assert_refused(upload(admin_client, data, "big.png"), f"larger than {limit}")
    settings.NEWSROOM_MAX_UPLOAD_BYTES = len(data)
    assert upload(admin_client, data, "big.png").status_code == 302


def test_more_files_than_allowed_is_a_400_and_nothing_is_saved(admin_client):
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    small = jpeg_bytes((8, 8))
    files = [
        SimpleUploadedFile(f"p{i}.jpg", small, "image/jpeg") for i in range(limit + 1)
    ]
    response = admin_client.post(
        reverse("admin:articles_image_add"), {"file": files, "alt": "Many"}
    )
    assert response.status_code == 400
    assert not Image.objects.exists()
    assert stored_files() == []


# What is stored


def test_png_html_polyglot_is_stored_re_encoded_without_the_html(admin_client):
    original = encoded(noise((30, 20)), "PNG") + SCRIPT
    opened = PILImage.open(io.BytesIO(original))
    assert opened.format == "PNG"  # Pillow accepts the polyglot as a PNG
    response = upload(admin_client, original, "poly.png", "image/png")
    assert response.status_code == 302
    image = Image.objects.get()
    data = stored_bytes(image)
    assert b"<script" not in data and b"<html" not in data
    assert data.endswith(chunk(b"IEND", b""))
    stored = PILImage.open(io.BytesIO(data))
    assert stored.format == "PNG" and stored.size == (30, 20)
    assert stored.tobytes() == opened.convert("RGB").tobytes()
    # How media is served (image types with nosniff, anything else as a
    # download) is covered in test_production_posture.py.


def test_polyglot_author_photo_is_re_encoded_too(admin_client):
    original = encoded(noise((30, 20)), "PNG") + SCRIPT
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Ann Writer",
            "slug": "ann-writer",
            "photo": SimpleUploadedFile("me.png", original, "image/png"),
        },
    )
    assert response.status_code == 302
    with Author.objects.get().photo.open("rb") as file:
        assert b"<script" not in file.read()


def test_exif_and_gps_are_gone_and_the_picture_is_upright(admin_client):
    original = photo_with_gps()
    before = PILImage.open(io.BytesIO(original))
    assert before.getexif().get_ifd(0x8825), "the fixture carries GPS"
    response = upload(admin_client, original, "sideways.jpg")
    assert response.status_code == 302
    image = Image.objects.get()
    data = stored_bytes(image)
    assert b"Exif" not in data and b"SERIAL-1234" not in data
    assert b"fake icc profile" not in data
    stored = PILImage.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert "icc_profile" not in stored.info
    # Turned upright: 20 wide, 40 tall, red (the old left) now on top.
    assert stored.size == (20, 40)
    assert (image.width, image.height) == (20, 40)
    red, _, blue = stored.convert("RGB").getpixel((10, 5))
    assert red > 200 and blue < 60
    red, _, blue = stored.convert("RGB").getpixel((10, 35))
    assert blue > 200 and red < 60


def test_png_text_chunks_are_dropped(admin_client):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    original = encoded(noise((10, 10)), "PNG", pnginfo=info)
    assert upload(admin_client, original, "t.png", "image/png").status_code == 302
    data = stored_bytes(Image.objects.get())
    assert b"<script" not in data and b"xmpmeta" not in data


@pytest.mark.parametrize(
    "fmt, name, mode",
    [("JPEG", "a.jpg", "RGB"), ("PNG", "a.png", "RGBA"), ("GIF", "a.gif", "P"),
     ("WEBP", "a.webp", "RGB")],
)  # fmt: skip
def test_good_pictures_keep_their_format_and_size(admin_client, fmt, name, mode):
    picture = noise((33, 21)).convert(mode)
    response = upload(admin_client, encoded(picture, fmt), name, "image/x")
    assert response.status_code == 302
    image = Image.objects.get()
    stored = PILImage.open(io.BytesIO(stored_bytes(image)))
    assert stored.format == fmt and stored.size == (33, 21)
    assert (image.width, image.height) == (33, 21)
    assert image.file.name.endswith(name[1:])


def test_a_png_named_jpg_is_stored_under_its_true_extension(admin_client):
    data = encoded(noise((12, 12)), "PNG")
    assert upload(admin_client, data, "looks.jpg").status_code == 302
    assert Image.objects.get().file.name.endswith(".png")


def test_re_encoding_is_stable_for_imports():
    """Imports name pictures by content hash and reuse a stored copy, so the
    same upload must give the same bytes every time."""
    original = photo_with_gps()
    first = reencoded(ContentFile(original, name="a.jpg")).read()
    second = reencoded(ContentFile(original, name="a.jpg")).read()
    assert first == second


# Renditions of a picture that slipped past the checks


@pytest.mark.django_db(transaction=True)
def test_a_corrupt_stored_picture_gives_a_placeholder_not_a_500(client):
    data = encoded(noise((400, 300)), "JPEG")
    path = default_storage.save("images/slipped.jpg", ContentFile(data[:200]))
    image = Image.objects.create(file=path, alt="Slipped past", width=400, height=300)
    record_renditions([image.pk])  # as whoever stores a picture does
    image.refresh_from_db()
    manifest = image.made_renditions()
    assert manifest and "error" in manifest  # made by the task, failed cleanly
    article = make_article(hero_image=image)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "img/placeholder.svg" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_crashing_rendition_job_is_logged_and_the_upload_still_saves(
    admin_client, client, monkeypatch, caplog
):
    def crash(image):
        raise RuntimeError("rendition worker crashed")

    monkeypatch.setattr(renditions, "make_renditions", crash)
    with caplog.at_level(logging.ERROR, logger="django_tasks"):
        response = upload(admin_client, jpeg_bytes((300, 200)), "ok.jpg")
    assert response.status_code == 302
    assert "articles.media.tasks.make_image_renditions state=FAILED" in caplog.text
    assert "rendition worker crashed" in caplog.text
    # Still on record: the sweeper enqueues it again (articles/tasks.py).
    assert PendingWork.objects.filter(kind="renditions").count() == 1
    image = Image.objects.get()
    article = make_article(hero_image=image)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_saving_through_the_field_keeps_the_given_name():
    """Imports and the demo save a nameless ContentFile under a chosen name."""
    image = Image(alt="Portrait")
    image.file.save("portrait.jpg", ContentFile(photo_with_gps()), save=True)
    assert image.file.name.startswith("images/") and "/portrait" in image.file.name
    assert image.file.name.endswith(".jpg")
    assert (image.width, image.height) == (20, 40)
    assert b"Exif" not in stored_bytes(image)
