"""axe-core on the readers' pages: no serious or critical accessibility violations.

axe-core comes from the npm registry (`make axe`, run by `make test`); without
it these tests are skipped, naming the reason.
"""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from articles.models import Image
from tests.factories import jpeg_bytes, make_article, make_author, make_section

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not AXE.exists(), reason="axe-core is not installed (make axe); skipped"
    ),
]


@pytest.fixture
def site():
    section = make_section(name="Politics", slug="politics")
    author = make_author(name="Ada Marsh", slug="ada-marsh", bio="Covers the council.")
    image = Image.objects.create(
        file=ContentFile(jpeg_bytes((800, 450)), name="hero.jpg"),
        alt="Councillors at the vote",
        caption="The vote on Tuesday.",
        credit="Staff",
    )
    articles = [
        make_article(
            section=section,
            authors=[author],
            headline=f"Council votes on budget, part {n}",
            deck="A close vote after a long night.",
            body="<p>The council met.</p><h2>What next</h2><p>More votes.</p>",
            tags=["Budget", "Council"],
            hero_image=image if n == 0 else None,
        )
        for n in range(5)
    ]
    return articles[0]


def violations(page):
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 30).map(n => n.target.join(' '))}))"
    )
    return [v for v in results if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(
    "name, path",
    [
        ("home", "/"),
        ("article", None),
        ("section", "/section/politics/"),
        ("tag", "/tag/budget/"),
        ("author", "/author/ada-marsh/"),
        ("search", "/search/?q=council"),
    ],
)
def test_page_has_no_serious_violations(site, browser, live_server, name, path):
    # axe is injected as an inline script, which our CSP rightly refuses.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda m: (
            csp_errors.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    response = page.goto(path or site.get_absolute_url())
    assert response.status == 200
    found = violations(page)
    context.close()
    assert not found, "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}"
                                for v in found)  # fmt: skip


def test_admin_editor_loads_under_the_content_security_policy(site, new_page):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("chief", "c@example.com", "pw")
    page = new_page()
    csp_errors = []
    page.on(
        "console",
        lambda m: (
            csp_errors.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    page.goto("/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/articles/article/add/")
    page.wait_for_selector(".ProseMirror", state="attached", timeout=15_000)
    assert not csp_errors, csp_errors


@pytest.mark.parametrize(
    "name, path",
    [
        ("article list", "/admin/articles/article/"),
        ("change form", None),
        ("add form", "/admin/articles/article/add/"),
    ],
)
def test_the_editors_screens_have_no_serious_violations(
    site, browser, live_server, output_dir, name, path
):
    from django.contrib.auth.models import User

    from tests.browser.test_editor_flow import log_in
    from tests.staff import make_user

    make_user("Editor", username="eddie")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, User.objects.get(username="eddie"))
    response = page.goto(path or f"/admin/articles/article/{site.pk}/change/")
    assert response.status == 200
    if path != "/admin/articles/article/":
        page.wait_for_selector(".field-body .ProseMirror:visible")
    found = violations(page)
    context.close()
    assert not found, "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}"
                                for v in found)  # fmt: skip
