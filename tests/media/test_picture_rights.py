"""Picture rights: expired rights block publishing and withdraw the picture
everywhere; a missing credit asks the editor to confirm."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.cache import get_max_age

from articles import publishing
from articles.delivery.surrogate_keys import key
from articles.media import expiry
from articles.media.renditions import make_renditions
from articles.media.tasks import withdraw_expired_pictures
from articles.models import Article, Image
from articles.ninjs import article_to_ninjs
from articles.tasks import PERIODIC
from tests.delivery.purge_server import PurgeServer
from tests.editorial.test_admin import article_form
from tests.factories import jpeg_bytes, make_article, make_author, make_section
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db

PAST = timedelta(hours=1)


def picture(name="quay.jpg", **fields):
    fields.setdefault("alt", "Ships at the quay")
    fields.setdefault("credit", "Cy Photographer")
    return Image.objects.create(
        file=SimpleUploadedFile(name, jpeg_bytes((1400, 900))), **fields
    )


def body_with(image):
    return (
        f'<p>The harbour reopened.</p><figure class="picture"><img src="'
        f'{image.file.url}" alt="{image.alt}"><figcaption>Quay '
        f"<small>{image.credit}</small></figcaption></figure><p>Ships came.</p>"
    )


def expire(image):
    image.rights_expire_at = timezone.now() - PAST
    image.save()


class TestTheRule:
    def test_a_story_with_an_expired_hero_is_not_published(self):
        image = picture()
        expire(image)
        story = make_article(status=Article.Status.DRAFT, hero_image=image)
        with pytest.raises(ValidationError, match="rights to the picture"):
            publishing.publish(story, by=None)
        assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT

    def test_a_story_with_an_expired_picture_in_its_body_is_not_published(self):
        image = picture()
        story = make_article(status=Article.Status.DRAFT, body=body_with(image))
        expire(image)
        with pytest.raises(ValidationError, match="“Ships at the quay”"):
            publishing.publish(story, by=None)

    def test_rights_that_expire_later_do_not_block(self):
        image = picture(rights_expire_at=timezone.now() + timedelta(days=3))
        story = make_article(status=Article.Status.DRAFT, hero_image=image)
        publishing.publish(story, by=None)
        assert Article.objects.get(pk=story.pk).is_live

    def test_a_live_story_stays_editable_after_its_picture_expires(self):
        image = picture()
        story = make_article(hero_image=image)
        expire(image)
        publishing.update(story, by=None, headline="Harbour reopens, ships queue")
        assert Article.objects.get(pk=story.pk).headline.endswith("ships queue")

    def test_the_list_action_refuses_it_with_a_reason(self):
        image = picture()
        expire(image)
        story = make_article(status=Article.Status.DRAFT, hero_image=image)
        fine = make_article(status=Article.Status.DRAFT)
        published, refused = publishing.publish_all(
            Article.objects.filter(pk__in=[story.pk, fine.pk]), by=None
        )
        assert [a.pk for a in published] == [fine.pk]
        assert [(a.pk, why) for a, why in refused] == [
            (story.pk, ["picture rights expired"])
        ]


class TestTheAdmin:
    def post(self, client, image, **fields):
        author = make_author()
        data = article_form(make_section(), [author], hero_image=image.pk, **fields)
        return client.post("/admin/articles/article/add/", data)

    def test_expired_rights_are_an_error_on_the_hero_and_nothing_is_saved(self):
        editor = login(Client(), make_user("Editor"))
        image = picture()
        expire(image)
        response = self.post(editor, image)
        assert response.status_code == 200
        assert "rights to the picture “Ships at the quay” have expired" in (
            response.content.decode()
        )
        assert not Article.objects.exists()

    def test_a_missing_credit_asks_to_confirm_then_publishes(self):
        editor = login(Client(), make_user("Editor"))
        image = picture(credit="")
        response = self.post(editor, image)
        assert response.status_code == 200
        html = response.content.decode()
        assert "The picture “Ships at the quay” has no credit." in html
        assert 'name="publish_uncredited"' in html  # the box to tick, shown
        assert not Article.objects.exists()
        response = self.post(editor, image, publish_uncredited="on")
        assert response.status_code == 302
        assert Article.objects.get().is_live


def page(story):
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


class TestExpiry:
    def test_pages_feeds_and_exports_stop_showing_it_at_its_expiry(self):
        hero, inline = picture(), picture("inline.jpg", alt="The lock gates")
        make_renditions(hero)
        story = make_article(hero_image=hero, body=body_with(inline))
        rendition = hero.made_renditions()["sizes"][0]["jpeg"]
        html = page(story)
        assert rendition in html and inline.file.url in html
        assert "og:image" in html

        for image in (hero, inline):
            expire(image)
        for stored in (cache, caches["pages"]):
            stored.clear()  # cached copies do not outlive the expiry (next test)
        html = page(story)
        assert rendition not in html and hero.file.name not in html
        assert inline.file.url not in html and "The lock gates" not in html
        assert "<p>Ships came.</p>" in html  # the rest of the body stays
        assert "og:image" not in html
        data = json.loads(
            html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        )
        assert "image" not in data
        feed = Client().get("/feed/").content.decode()
        assert story.headline in feed
        assert "enclosure" not in feed and "media:content" not in feed
        assert "associations" not in article_to_ninjs(Article.objects.get(pk=story.pk))
        card = Client().get("/").content.decode()
        assert rendition not in card

    def test_a_cached_page_lives_no_longer_than_the_rights(self):
        far_off = make_article(hero_image=picture())
        assert get_max_age(Client().get(far_off.get_absolute_url())) == 60
        hero = picture(rights_expire_at=timezone.now() + timedelta(seconds=30))
        story = make_article(hero_image=hero)
        for url in (story.get_absolute_url(), "/"):
            assert 0 < get_max_age(Client().get(url)) <= 30, url

    def test_the_task_withdraws_the_renditions_and_purges_the_pages(
        self, settings, django_capture_on_commit_callbacks
    ):
        hero = picture()
        make_renditions(hero)
        files = [s["jpeg"] for s in hero.made_renditions()["sizes"]]
        story = make_article(hero_image=hero)
        elsewhere = make_article()  # shows no picture: not purged
        # Only offered by a source, never stored: nothing to withdraw.
        Image.objects.create(alt="Offered", rights_expire_at=timezone.now() - PAST)
        assert not expiry.due(timezone.now())
        expire(hero)
        assert expiry.due(timezone.now())
        assert withdraw_expired_pictures in [job for job, _ in PERIODIC]

        with PurgeServer() as varnish:
            settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["xkey"]
            settings.NEWSROOM_EDGE_PURGE = [{"KIND": "varnish", "URLS": [varnish.url]}]
            with django_capture_on_commit_callbacks(execute=True):
                assert withdraw_expired_pictures.call() == 1
            sent = [r.headers for r in varnish.requests]
        purged = {
            k
            for headers in sent
            for name in ("xkey-purge", "xkey-softpurge")
            for k in headers.get(name, "").split()
        }
        assert key("a", story.slug) in purged
        assert key("a", elsewhere.slug) not in purged
        assert not any(default_storage.exists(name) for name in files)
        assert default_storage.exists(hero.file.name)  # kept for renewed rights
        hero.refresh_from_db()
        assert hero.rendition_manifest["withdrawn"]
        assert not expiry.due(timezone.now())  # done once
        assert withdraw_expired_pictures.call() == 0

    def test_renewed_rights_bring_the_picture_back(
        self, client, django_capture_on_commit_callbacks
    ):
        hero = picture()
        make_renditions(hero)
        story = make_article(hero_image=hero)
        expire(hero)
        expiry.withdraw_expired()
        login(client, make_user("Editor"))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/articles/image/{hero.pk}/change/",
                {
                    "alt": hero.alt,
                    "credit": hero.credit,
                    "rights_expire_at_0": "",
                    "rights_expire_at_1": "",
                    "focal_x": "0.5",
                    "focal_y": "0.5",
                },
            )
        assert response.status_code == 302
        hero.refresh_from_db()
        assert hero.made_renditions()["sizes"]  # made again by the task
        assert hero.made_renditions()["sizes"][0]["jpeg"] in page(story)

    def test_an_article_page_with_a_body_picture_costs_one_query_more(
        self, django_assert_num_queries
    ):
        plain = make_article()
        pictured = make_article(body=body_with(picture()))
        Client().get("/")  # the navigation, cached
        with CaptureQueriesContext(connection) as plain_page:
            page(plain)
        with django_assert_num_queries(len(plain_page) + 1):
            assert "Ships at the quay" in page(pictured)
