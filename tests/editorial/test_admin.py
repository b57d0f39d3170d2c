from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Image, RelatedLink
from tests.factories import jpeg_bytes, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def article_form(section, authors, **overrides):
    """The POST data of the article change form, bylines inline in order."""
    data = {
        "kicker": "",
        "headline": "Mayor resigns after audit",
        "slug": "mayor-resigns",
        "deck": "The audit found missing funds.",
        "body": "<p>First paragraph.</p><h2>What happens next</h2><p>More.</p>",
        "section": section.pk,
        "tags": "City Hall, Audit, Mayor",
        "hero_image": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "withdrawn_reason": "",
        "seo_title": "",
        "seo_description": "",
        "canonical_url": "",
        "language": "en",
        "bylines-TOTAL_FORMS": str(len(authors)),
        "bylines-INITIAL_FORMS": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    for i, author in enumerate(authors):
        data[f"bylines-{i}-author"] = author.pk
        data[f"bylines-{i}-position"] = i
    data.update(overrides)
    return data


class TestWritingAnArticle:
    def test_editor_publishes_a_story_that_reaches_every_listing(
        self, admin_client, django_capture_on_commit_callbacks
    ):
        section = make_section(name="City", slug="city")
        first = make_author(name="First Author", slug="first")
        second = make_author(name="Second Author", slug="second")
        image = Image.objects.create(
            file=SimpleUploadedFile("a.jpg", jpeg_bytes()),
            alt="The town hall",
            credit="Town photographer",
        )
        neighbour = make_article(section=section, tags=["Audit"])
        with django_capture_on_commit_callbacks(execute=True):  # follow-up tasks
            response = admin_client.post(
                "/admin/articles/article/add/",
                article_form(section, [second, first], hero_image=image.pk),
            )
        assert response.status_code == 302, response.context["errors"]
        article = Article.objects.get(slug="mayor-resigns")
        assert [a.name for a in article.byline_authors] == [
            "Second Author",
            "First Author",
        ]
        assert sorted(article.tags.names()) == ["Audit", "City Hall", "Mayor"]
        assert article.is_live
        assert "<h2>What happens next</h2>" in article.body

        for url in (
            "/",
            "/section/city/",
            "/tag/audit/",
            "/tag/mayor/",
            "/author/first/",
        ):
            assert "Mayor resigns after audit" in admin_client.get(url).content.decode()
        # Related links were computed once the save committed, both ways.
        assert RelatedLink.objects.filter(article=article, target=neighbour).exists()
        assert RelatedLink.objects.filter(article=neighbour, target=article).exists()

        # A future time takes it off every page until then.
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() + timedelta(days=1)
        )
        for url in ("/", "/section/city/", "/tag/mayor/", "/author/first/"):
            html = admin_client.get(url).content.decode()
            assert "Mayor resigns after audit" not in html

    def test_publishing_needs_an_author(self, admin_client):
        section = make_section()
        response = admin_client.post(
            "/admin/articles/article/add/", article_form(section, [])
        )
        assert response.status_code == 200
        assert "needs at least one author" in response.content.decode()
        assert not Article.objects.exists()

    def test_publishing_needs_a_body(self, admin_client):
        section = make_section()
        response = admin_client.post(
            "/admin/articles/article/add/",
            article_form(section, [make_author()], body="<p></p>"),
        )
        assert response.status_code == 200
        assert "needs a body" in response.content.decode()
        assert not Article.objects.exists()

    def test_a_draft_may_be_saved_without_author_or_body(self, admin_client):
        section = make_section()
        response = admin_client.post(
            "/admin/articles/article/add/",
            article_form(section, [], body="", status="draft"),
        )
        assert response.status_code == 302
        assert Article.objects.get().status == Article.Status.DRAFT

    def test_scripts_in_the_body_are_removed_on_save(self, admin_client):
        section = make_section()
        admin_client.post(
            "/admin/articles/article/add/",
            article_form(
                section,
                [make_author()],
                body='<p>Hi<script>alert(1)</script><a href="javascript:x()">y</a></p>',
            ),
        )
        body = Article.objects.get().body
        assert "<script" not in body and "javascript:" not in body

    def test_the_change_form_offers_the_rich_text_editor(self, admin_client):
        article = make_article()
        html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content
        assert b"django_prose_editor" in html


class TestImages:
    def test_an_image_needs_alt_text(self, admin_client):
        response = admin_client.post(
            "/admin/articles/image/add/",
            {
                "file": SimpleUploadedFile("a.jpg", jpeg_bytes()),
                "alt": "",
                "caption": "",
            },
        )
        assert response.status_code == 200
        assert not Image.objects.exists()

    @pytest.mark.parametrize(
        "name,content",
        [
            (
                "x.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            ),
            ("x.jpg", b""),
            ("x.jpg", b"not an image at all"),
            ("x.jpg", jpeg_bytes()[:200]),
        ],
    )
    def test_bad_files_are_refused_with_a_message(self, admin_client, name, content):
        response = admin_client.post(
            "/admin/articles/image/add/",
            {"file": SimpleUploadedFile(name, content), "alt": "x", "caption": ""},
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        assert not Image.objects.exists()

    def test_dimensions_are_recorded(self, admin_client):
        admin_client.post(
            "/admin/articles/image/add/",
            {"file": SimpleUploadedFile("a.jpg", jpeg_bytes((64, 48))), "alt": "x"},
        )
        image = Image.objects.get()
        assert (image.width, image.height) == (64, 48)


class TestBulkActions:
    def test_publish_now_publishes_complete_articles_and_names_the_rest(
        self, admin_client
    ):
        ready = make_article(status=Article.Status.DRAFT, published_at=None)
        no_author = make_article(
            headline="Orphan", status=Article.Status.DRAFT, authors=[]
        )
        response = admin_client.post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [ready.pk, no_author.pk]},
            follow=True,
        )
        ready.refresh_from_db()
        no_author.refresh_from_db()
        assert ready.is_live
        assert no_author.status == Article.Status.DRAFT
        assert "Orphan" in response.content.decode()

    def test_unpublish(self, admin_client, client):
        article = make_article(headline="Pulled story")
        admin_client.post(
            "/admin/articles/article/",
            {"action": "unpublish", "_selected_action": [article.pk]},
        )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert client.get(article.get_absolute_url()).status_code == 404


class TestLists:
    def test_changelist_shows_state_and_scheduled_time(self, admin_client):
        make_article(
            headline="Going out later", published_at=timezone.now() + timedelta(days=2)
        )
        html = admin_client.get("/admin/articles/article/").content.decode()
        assert "Going out later" in html and "Scheduled for" in html
        scheduled = admin_client.get("/admin/articles/article/?visibility=scheduled")
        assert "Going out later" in scheduled.content.decode()

    def test_changelist_queries_do_not_grow_with_rows(self, admin_client):
        section = make_section()
        make_article(section=section)
        admin_client.get("/admin/articles/article/")
        with CaptureQueriesContext(connection) as few:
            admin_client.get("/admin/articles/article/")
        for _ in range(30):
            make_article(section=section, authors=[make_author(), make_author()])
        with CaptureQueriesContext(connection) as many:
            admin_client.get("/admin/articles/article/")
        assert len(many) == len(few) <= 12

    @pytest.mark.parametrize("model", ["author", "section", "tag", "image"])
    def test_other_lists_render(self, admin_client, model):
        make_article(tags=["Counted"])
        assert admin_client.get(f"/admin/articles/{model}/").status_code == 200

    def test_author_list_shows_article_counts(self, admin_client):
        author = make_author(name="Prolific")
        for _ in range(3):
            make_article(authors=[author])
        html = admin_client.get("/admin/articles/author/").content.decode()
        assert '<td class="field-article_count">3</td>' in html

    def test_view_on_site_links_drafts_to_the_preview(self, admin_client):
        draft = make_article(status=Article.Status.DRAFT)
        html = admin_client.get(f"/admin/articles/article/{draft.pk}/change/").content
        assert f"/preview/{draft.pk}/".encode() in html
