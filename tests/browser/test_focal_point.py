"""The picture admin's focal point in a real browser: clicking the picture
moves the marker and fills the two numbers; saving keeps them; the numbers
alone, typed from the keyboard, move the marker too."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from articles.models import Image
from tests.browser.test_editor_flow import log_in
from tests.factories import jpeg_bytes
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def picture():
    return Image.objects.create(
        file=ContentFile(jpeg_bytes((800, 400)), name="quay.jpg"),
        alt="Ships at the quay",
        credit="Cy Li/TT",
    )


def test_clicking_the_picture_sets_the_focal_point_and_saving_keeps_it(
    new_page, picture
):
    make_user("Editor", username="eddie")
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, User.objects.get(username="eddie"))
    page.goto(f"/admin/articles/image/{picture.pk}/change/")
    shown = page.locator("[data-focal-point] img")
    box = shown.bounding_box()
    shown.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.25, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.75, abs=0.01)
    box = shown.bounding_box()  # after the click scrolled it into view
    marker = page.locator(".focal-point__marker").bounding_box()
    centre = (marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2)
    assert centre[0] == pytest.approx(box["x"] + box["width"] * 0.25, abs=2)
    assert centre[1] == pytest.approx(box["y"] + box["height"] * 0.75, abs=2)

    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(rf"/admin/articles/image/{picture.pk}/change/$"))
    picture.refresh_from_db()
    assert picture.focal_x == pytest.approx(0.25, abs=0.01)
    assert picture.focal_y == pytest.approx(0.75, abs=0.01)


def test_the_numbers_move_the_marker_from_the_keyboard(new_page, picture):
    make_user("Editor", username="eddie")
    page = new_page()
    log_in(page, User.objects.get(username="eddie"))
    page.goto(f"/admin/articles/image/{picture.pk}/change/")
    page.focus("#id_focal_x")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.1")
    style = page.get_attribute(".focal-point__marker", "style")
    assert "left: 10%" in style
