"""Browser tests: Playwright driving Debian's Chromium, never a downloaded browser.

Without Chromium (`apt-get install chromium`) every test here is skipped, and
pytest's summary says why.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
CHROMIUM = CHROMIUM or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
SKIP_REASON = (
    "Chromium is not installed (apt-get install chromium); browser tests skipped"
)

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_autosave_unless_asked(settings):
    """Autosave posts when a page is left, which a test's end does: only the
    tests of autosave switch it on (a shorter interval of their own)."""
    settings.NEWSROOM_AUTOSAVE_SECONDS = 0


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts (separate cookies) against the live server."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def output_dir():
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
