"""The demo loads as `make demo` loads it, makes a believable site, and is safe
to re-run."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Image,
    RelatedLink,
    Section,
)
from articles.related import related_for_page
from articles.tasks import finish_pending_work

DEMO = Path(__file__).resolve().parent.parent / "demo"
ADMIN = {
    "DJANGO_SUPERUSER_USERNAME": "admin",
    "DJANGO_SUPERUSER_PASSWORD": "newsroom-demo",
    "DJANGO_SUPERUSER_EMAIL": "",
}


def load_demo(build_dir, media_root):
    """The loading lines of `make demo`, in its order; the import's summary."""
    build = subprocess.run(
        [sys.executable, str(DEMO / "build.py"), "--out", str(build_dir)],
        env={**os.environ, "MEDIA_ROOT": str(media_root)},
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    call_command("loaddata", DEMO / "sections.json", DEMO / "authors.json", verbosity=0)
    out = StringIO()
    call_command(
        "import_articles",
        str(build_dir / "stories.jsonl"),
        media_dir=str(build_dir),
        stdout=out,
    )
    with mock.patch.dict(os.environ, ADMIN):
        try:
            call_command("createsuperuser", interactive=False, stdout=StringIO())
        except CommandError as exc:  # a later run: `make demo` goes on
            assert "already taken" in str(exc)
    # What the demo's task worker then does (the test's transaction never
    # commits, so nothing was enqueued).
    finish_pending_work()
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Byline, Correction, Image, Section, RelatedLink)
    }


class DemoTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build_dir = Path(tempfile.mkdtemp(prefix="demo-build-"))
        cls.media_root = Path(tempfile.mkdtemp(prefix="demo-media-"))
        cls.addClassCleanup(shutil.rmtree, cls.build_dir)
        cls.addClassCleanup(shutil.rmtree, cls.media_root)
        cls.enterClassContext(
            override_settings(
                MEDIA_ROOT=cls.media_root,
                # As the tests' own (conftest), so the admin's password checks.
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            )
        )
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.first_run = load_demo(cls.build_dir, cls.media_root)
        cls.counts_after_first_run = counts()
        cls.second_run = load_demo(cls.build_dir, cls.media_root)

    def test_loading_twice_creates_and_changes_nothing(self):
        self.assertIn("41 created, 0 updated", self.first_run)
        self.assertIn("0 created, 0 updated, 41 unchanged", self.second_run)
        self.assertEqual(counts(), self.counts_after_first_run)

    def test_the_admin_account_logs_in(self):
        admins = get_user_model().objects.filter(username="admin", is_superuser=True)
        self.assertEqual(admins.count(), 1)
        login = {"username": "admin", "password": "newsroom-demo", "next": "/admin/"}
        self.assertEqual(self.client.post("/admin/login/", login).status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_believable_site(self):
        live = Article.objects.published()
        self.assertGreaterEqual(live.count(), 30)
        sections = Section.objects.filter(articles__in=live).distinct()
        self.assertGreaterEqual(sections.count(), 4)
        self.assertGreaterEqual(Author.objects.count(), 8)
        drafts = Article.objects.filter(status=Article.Status.DRAFT)
        self.assertGreaterEqual(drafts.count(), 2)
        self.assertGreaterEqual(Article.objects.scheduled().count(), 1)
        self.assertTrue(any(len(a.byline_authors) >= 2 for a in live))
        self.assertGreaterEqual(live.filter(body__contains="<h2>").count(), 30)
        self.assertGreaterEqual(live.filter(body__contains="<a href=").count(), 20)
        # A story sharing a tag with another shows links; one sharing nothing
        # shows none rather than filler.
        tagged = {}
        for article in live.prefetch_related("tags"):
            for tag in article.tags.all():
                tagged.setdefault(tag.pk, set()).add(article.pk)
        for article in live.prefetch_related("tags"):
            shares = any(len(tagged[tag.pk]) > 1 for tag in article.tags.all())
            if shares:
                self.assertTrue(related_for_page(article), f"{article.slug}: no links")
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_a_story_carries_a_correction_on_its_page_and_the_corrections_page(self):
        correction = Correction.objects.select_related("article").get()
        self.assertIn("14,000", correction.text)
        # Dated as the update that brought it, which is past.
        self.assertEqual(correction.created_at, correction.article.public_updated_at)
        self.assertLessEqual(correction.created_at, timezone.now())
        page = self.client.get(correction.article.get_absolute_url())
        self.assertContains(page, "It carries 40,000.")
        self.assertContains(self.client.get("/corrections/"), "It carries 40,000.")

    def test_authors_with_a_photo_have_its_file(self):
        with_photos = Author.objects.exclude(photo="")
        self.assertTrue(with_photos.exists())
        for author in with_photos:
            self.assertTrue((self.media_root / author.photo.name).is_file())

    def test_every_story_page_answers_and_links_to_live_stories(self):
        for article in Article.objects.published():
            page = self.client.get(article.get_absolute_url())
            self.assertEqual(page.status_code, 200, article.slug)
            for href in re.findall(r'href="(/\d{4}/[^"]+)"', article.body):
                status = self.client.get(href).status_code
                self.assertEqual(status, 200, f"{article.slug}: {href}")

    def test_no_story_shows_an_update_still_to_come(self):
        shown = []
        for article in Article.objects.published():
            html = self.client.get(article.get_absolute_url()).content.decode()
            shown += re.findall(r'__updated">Updated <time datetime="([^"]+)"', html)
        self.assertTrue(shown, "no story shows an update")
        for moment in shown:
            self.assertLessEqual(parse_datetime(moment), timezone.now())
