"""The embargo countdown ticks in the page, on the browser's clock (driven by
Playwright's, never waited for)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from articles import publishing
from tests.browser.test_editor_flow import log_in
from tests.factories import make_article
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_countdown_ticks_down_to_the_lift(new_page):
    make_user("Editor", username="eddie")
    story = make_article(headline="Budget figures", status="draft", published_at=None)
    until = timezone.now() + timedelta(hours=2, minutes=14, seconds=30)
    publishing.embargo(story, by=None, until=until)
    page = new_page()
    page.clock.install()
    log_in(page, User.objects.get(username="eddie"))
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    countdown = page.locator(".newsroom-embargo [data-embargo-until]")
    assert countdown.inner_text() in ("lifts in 2 h 15 min", "lifts in 2 h 14 min")
    page.clock.fast_forward("01:00:00")
    page.wait_for_function(
        "() => document.querySelector('[data-embargo-until]')"
        ".textContent.startsWith('lifts in 1 h 1')"
    )
    page.clock.fast_forward("02:00:00")
    page.wait_for_function(
        "() => document.querySelector('[data-embargo-until]').textContent === 'lifted'"
    )
