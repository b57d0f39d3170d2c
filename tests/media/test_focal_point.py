"""The focal point: crops keep it, the picture admin sets it, and changing it
makes the renditions again."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.media.renditions import crop_box, make_renditions
from articles.models import Image
from tests.factories import make_article
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db

RED = (220, 0, 0)


def tall_photo_with_a_dot(dot):
    """A grey 1000 by 2000 JPEG with a red dot 80 pixels wide at `dot`."""
    picture = PILImage.new("RGB", (1000, 2000), (128, 128, 128))
    x, y = dot
    ImageDraw.Draw(picture).ellipse((x - 40, y - 40, x + 40, y + 40), fill=RED)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def stored(data, **fields):
    name = default_storage.save("images/dot.jpg", ContentFile(data))
    return Image.objects.create(file=name, alt="A red dot", **fields)


def red_pixels(name):
    with default_storage.open(name) as file:
        picture = PILImage.open(file).convert("RGB")
        return [
            (x, y)
            for x in range(0, picture.width, 4)
            for y in range(0, picture.height, 4)
            if picture.getpixel((x, y))[0] > 180 and picture.getpixel((x, y))[1] < 80
        ]


def test_the_link_preview_crop_keeps_the_focal_point():
    # The dot is near the bottom: a crop from the centre would lose it.
    image = stored(tall_photo_with_a_dot((500, 1800)), focal_x=0.5, focal_y=0.9)
    social = make_renditions(image)["social"]
    assert (social["width"], social["height"]) == (1000, 525)
    assert red_pixels(social["jpeg"]), "the dot is in the crop"


def test_a_centred_crop_of_the_same_picture_loses_the_dot():
    image = stored(tall_photo_with_a_dot((500, 1800)))  # focal point: the centre
    assert not red_pixels(make_renditions(image)["social"]["jpeg"])


def test_the_crop_is_as_large_as_it_can_be_and_stays_inside_the_picture():
    assert crop_box((1000, 2000), 2.0, (0.5, 0.9)) == (0, 1500, 1000, 2000)
    assert crop_box((1000, 2000), 2.0, (0.5, 0.6)) == (0, 950, 1000, 1450)
    assert crop_box((1000, 2000), 2.0, (0.5, 0.0)) == (0, 0, 1000, 500)
    assert crop_box((3000, 1000), 1.0, (0.1, 0.5)) == (0, 0, 1000, 1000)
    assert crop_box((3000, 1000), 1.0, (0.5, 0.5)) == (1000, 0, 2000, 1000)


def test_pages_place_cropped_pictures_around_it():
    image = stored(tall_photo_with_a_dot((500, 1800)), focal_x=0.5, focal_y=0.9)
    make_renditions(image)
    story = make_article(hero_image=image)
    html = Client().get("/").content.decode()
    assert 'style="object-position: 50% 90%"' in html
    page = Client().get(story.get_absolute_url()).content.decode()
    assert image.made_renditions()["social"]["jpeg"] in page  # og:image


def change(client, image, **fields):
    data = {"alt": image.alt, "credit": "", "focal_x": "0.5", "focal_y": "0.5"}
    data.update(fields)
    return client.post(f"/admin/articles/image/{image.pk}/change/", data)


class TestTheAdmin:
    def test_it_shows_the_picker_with_the_marker_at_the_point(self):
        image = stored(tall_photo_with_a_dot((500, 1800)), focal_x=0.25, focal_y=0.9)
        editor = login(Client(), make_user("Editor"))
        response = editor.get(f"/admin/articles/image/{image.pk}/change/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "data-focal-point" in html and "focal-point.js" in html
        assert 'style="left: 25.0%; top: 90.0%"' in html
        assert 'data-focal="focal_x"' in html and 'max="1"' in html

    def test_a_new_point_is_saved_and_the_renditions_are_made_again(
        self, django_capture_on_commit_callbacks
    ):
        image = stored(tall_photo_with_a_dot((500, 1800)))
        make_renditions(image)
        assert not red_pixels(image.made_renditions()["social"]["jpeg"])
        editor = login(Client(), make_user("Editor"))
        with django_capture_on_commit_callbacks(execute=True):
            response = change(editor, image, focal_x="0.5", focal_y="0.9")
        assert response.status_code == 302
        image.refresh_from_db()
        assert (image.focal_x, image.focal_y) == (0.5, 0.9)
        assert image.made_renditions()["focus"] == [0.5, 0.9]
        assert red_pixels(image.made_renditions()["social"]["jpeg"])

    def test_a_point_outside_the_picture_is_refused(self):
        image = stored(tall_photo_with_a_dot((500, 1800)))
        editor = login(Client(), make_user("Editor"))
        response = change(editor, image, focal_x="1.5", focal_y="-0.1")
        assert response.status_code == 200
        html = response.content.decode()
        assert "less than or equal to 1.0" in html
        assert "greater than or equal to 0.0" in html
        image.refresh_from_db()
        assert (image.focal_x, image.focal_y) == (0.5, 0.5)

    def test_left_empty_it_is_the_centre(self):
        image = stored(tall_photo_with_a_dot((500, 1800)), focal_x=0.2)
        editor = login(Client(), make_user("Editor"))
        assert change(editor, image, focal_x="", focal_y="").status_code == 302
        image.refresh_from_db()
        assert (image.focal_x, image.focal_y) == (0.5, 0.5)

    def test_rights_fields_are_saved(self):
        image = stored(tall_photo_with_a_dot((500, 1800)))
        editor = login(Client(), make_user("Editor"))
        response = change(
            editor,
            image,
            credit="Cy Li/TT",
            source="TT News Agency",
            usage_terms="Editorial use only",
            rights_expire_at_0="2031-05-01",
            rights_expire_at_1="12:00:00",
        )
        assert response.status_code == 302
        image.refresh_from_db()
        assert (image.credit, image.source, image.usage_terms) == (
            "Cy Li/TT",
            "TT News Agency",
            "Editorial use only",
        )
        assert image.rights_expire_at.year == 2031
