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
    LiveEntry,
    RelatedLink,
    Section,
)
from articles.related_pages import related_for_page
from articles.tasks import finish_pending_work
from demo.live import load as load_live_story

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
    out.write(load_live_story(DEMO / "live.json"))
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
        for model in (
            Article,
            Author,
            Byline,
            Correction,
            Image,
            Section,
            RelatedLink,
            LiveEntry,
        )
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
        self.assertIn("42 created, 0 updated", self.first_run)
        self.assertIn("0 created, 0 updated, 42 unchanged", self.second_run)
        self.assertEqual(counts(), self.counts_after_first_run)

    def test_one_story_is_live_with_key_points(self):
        self.assertIn("Live story: 6 entries on", self.first_run)
        self.assertIn("has its entries already", self.second_run)
        story = Article.objects.get(live_coverage__isnull=False)
        entries = list(story.live_entries.all())
        self.assertEqual(len(entries), 6)
        self.assertEqual([e.pinned for e in entries].count(True), 1)
        self.assertTrue(all(e.author for e in entries))
        self.assertTrue(any(e.embed_url for e in entries))
        for entry in entries:
            self.assertGreater(entry.created_at, story.published_at)
            self.assertLessEqual(entry.created_at, timezone.now())
        page = self.client.get(story.get_absolute_url()).content.decode()
        self.assertIn("Key points", page)
        self.assertIn('"@type": "LiveBlogPosting"', page)
        live = self.client.get(story.get_absolute_url() + "live.json")
        self.assertEqual(live.status_code, 200)
        self.assertEqual(len(live.json()["entries"]), 5)

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
        embargoed = Article.objects.embargoed().get()  # seen in the admin only
        self.assertNotIn(embargoed, live)
        self.assertEqual(self.client.get(embargoed.get_absolute_url()).status_code, 404)
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

    def test_pictures_carry_their_credit_and_rights_and_one_a_focal_point(self):
        pictures = Image.objects.filter(pk__in=Article.objects.values("hero_image"))
        self.assertGreaterEqual(pictures.count(), 20)
        for image in pictures:
            self.assertTrue(image.credit, image.alt)
            self.assertEqual(image.source, "Newsroom demo")
            self.assertIn("free to reuse", image.usage_terms)
        lead = Article.objects.get(slug__startswith="harbour-bridge-closed").hero_image
        # The sun of its landscape, high in the sky and off the centre.
        self.assertLess(lead.focal_y, 0.5)
        self.assertNotEqual((lead.focal_x, lead.focal_y), (0.5, 0.5))
        self.assertEqual(lead.made_renditions()["focus"], [lead.focal_x, lead.focal_y])

    def test_a_story_has_a_dateline_and_a_byline_of_several_roles(self):
        story = Article.objects.get(headline__startswith="New MP for Harcastle")
        self.assertEqual(story.dateline_place, "LONDON")
        self.assertTrue(story.body.startswith("<p>The new MP"))
        roles = list(story.bylines.values_list("author__name", "role"))
        self.assertEqual(
            roles,
            [
                ("Maya Okafor", "writer"),
                ("Aiko Tanaka", "reporting"),
                ("Ewan Doyle", "photographer"),
            ],
        )
        html = self.client.get(story.get_absolute_url()).content.decode()
        self.assertIn('<span class="story-dateline">LONDON —</span> The new MP', html)
        self.assertIn("Additional reporting by", html)
        page = self.client.get("/author/ewan-doyle/").content.decode()
        self.assertIn('<span class="card__badge">Photographs</span>', page)

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
