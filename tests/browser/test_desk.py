"""The editors' desk (the admin's home page) at a desktop and a phone width:
readable, nothing wider than the screen, no serious accessibility faults."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, Image
from tests.browser.test_accessibility import AXE, violations
from tests.browser.test_editor_flow import log_in
from tests.factories import jpeg_bytes, make_article, make_section
from tests.staff import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom():
    now = timezone.now()
    city = make_section(name="City", slug="city")
    picture = Image.objects.create(
        file=ContentFile(jpeg_bytes((800, 450)), name="hall.jpg"), alt="The hall"
    )
    make_article(
        section=city,
        headline="Council approves the harbour redevelopment after a nine-hour "
        "meeting that ran past midnight",
        status="review",
        published_at=None,
    )
    make_article(section=city, headline="Bus fares rise", status="review",
                 published_at=None)  # fmt: skip
    # Later today, whatever the time of the run.
    midnight = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + timedelta(days=1)
    make_article(section=city, headline="Tram line opens",
                 published_at=now + (midnight - now) / 2)  # fmt: skip
    make_article(section=city, headline="Old parking story", status="draft",
                 published_at=None)  # fmt: skip
    Article.objects.filter(headline="Old parking story").update(
        updated_at=now - timedelta(days=30)
    )
    for day in range(30):
        for n in range(day % 4):
            make_article(
                section=city,
                headline=f"Story {day}-{n}",
                published_at=now - timedelta(days=day, hours=n),
            )
    make_article(section=city, headline="Harbour pictures", hero_image=picture)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_desk_reads_well_at_desktop_and_phone_widths(
    newsroom, new_page, output_dir, width
):
    make_user("Editor", username="eddie")
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, User.objects.get(username="eddie"))
    page.goto("/admin/")
    page.screenshot(path=str(output_dir / f"admin-desk-{width}.png"), full_page=True)

    assert page.locator("#in-review").inner_text().count("Bus fares rise") == 1
    assert "Tram line opens" in page.locator("#scheduled").inner_text()
    assert "Harbour pictures" in page.locator("#uncredited").inner_text()
    chart = page.locator("#per-day svg").bounding_box()
    assert chart["width"] > 200 and chart["height"] > 60
    # Nothing runs off the side of a phone.
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )
    if width == 390:
        # One column: the parts stack.
        review = page.locator("#in-review").bounding_box()
        scheduled = page.locator("#scheduled").bounding_box()
        assert scheduled["y"] >= review["y"] + review["height"]
    if AXE.exists():
        page.context.close()  # axe needs a context that bypasses the CSP
        context = page.context.browser.new_context(
            base_url=page.url.split("/admin/")[0], bypass_csp=True
        )
        axe_page = context.new_page()
        axe_page.set_viewport_size({"width": width, "height": 900})
        log_in(axe_page, User.objects.get(username="eddie"))
        axe_page.goto("/admin/")
        found = violations(axe_page)
        context.close()
        assert not found, "\n".join(
            f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in found
        )
