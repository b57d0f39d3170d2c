"""Roles: reporters write and submit, editors publish, Admins manage accounts.

Every check is made against the server, endpoint by endpoint.
"""

import logging

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article, Author, RelatedLink, Revision
from tests.editorial.test_admin import article_form
from tests.factories import make_article, make_author, make_section
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED = "draft", "review", "published"


@pytest.fixture
def reporter():
    return make_user("Reporter")


@pytest.fixture
def reporter_client(client, reporter):
    return login(client, reporter)


@pytest.fixture
def own_draft(reporter):
    return make_article(
        headline="My draft", status=DRAFT, published_at=None, created_by=reporter
    )


@pytest.fixture
def others_draft():
    other = make_user("Reporter")
    return make_article(
        headline="Embargoed scoop", status=DRAFT, published_at=None, created_by=other
    )


class TestRoleSetup:
    def test_the_migration_created_the_three_groups(self):
        groups = {g.name: g for g in Group.objects.all()}
        assert {"Reporter", "Editor", "Admin"} <= set(groups)
        editor = {p.codename for p in groups["Editor"].permissions.all()}
        reporter = {p.codename for p in groups["Reporter"].permissions.all()}
        admin = {p.codename for p in groups["Admin"].permissions.all()}
        assert "publish_article" in editor and "publish_article" not in reporter
        assert "edit_any_article" in editor and "edit_any_article" not in reporter
        assert {"change_article", "add_article"} <= reporter
        assert "change_user" in admin and "change_user" not in editor

    def test_setup_roles_is_idempotent_and_restores_lost_permissions(self, capsys):
        editor = Group.objects.get(name="Editor")
        editor.permissions.clear()
        call_command("setup_roles")
        call_command("setup_roles")
        assert Group.objects.filter(name="Editor").count() == 1
        assert editor.permissions.filter(codename="publish_article").exists()
        assert "Editor" in capsys.readouterr().out


class TestReporterCannotPublish:
    def test_the_status_choices_stop_at_review(self, reporter_client, own_draft):
        html = reporter_client.get(change_url(own_draft)).content.decode()
        assert 'value="review"' in html
        assert 'value="published"' not in html
        assert 'name="published_at_0"' not in html

    def test_posting_published_on_change_leaves_the_draft_and_says_why(
        self, reporter_client, own_draft, caplog
    ):
        with caplog.at_level(logging.WARNING, logger="articles.workflow"):
            response = reporter_client.post(
                change_url(own_draft),
                change_data(own_draft, status=PUBLISHED, headline="Sneaky"),
            )
        assert response.status_code == 200
        assert "Only an editor can publish" in response.content.decode()
        own_draft.refresh_from_db()
        assert own_draft.status == DRAFT and own_draft.headline == "My draft"
        assert "tried to set status 'published'" in caplog.text

    def test_posting_published_on_add_creates_nothing(self, reporter_client):
        data = article_form(make_section(), [make_author()], status=PUBLISHED)
        response = reporter_client.post("/admin/articles/article/add/", data)
        assert response.status_code == 200
        assert "Only an editor can publish" in response.content.decode()
        assert not Article.objects.exists()

    def test_a_scheduled_time_cannot_be_smuggled_in(self, reporter_client, own_draft):
        data = change_data(
            own_draft,
            status=REVIEW,
            published_at_0="2020-01-01",
            published_at_1="10:00:00",
        )
        response = reporter_client.post(change_url(own_draft), data)
        assert response.status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.status == REVIEW and own_draft.published_at is None

    def test_submitting_for_review_works(self, reporter_client, own_draft):
        response = reporter_client.post(
            change_url(own_draft), change_data(own_draft, status=REVIEW)
        )
        assert response.status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.status == REVIEW

    def test_save_as_new_cannot_publish(self, reporter_client, own_draft):
        data = change_data(
            own_draft, status=PUBLISHED, slug="copy", _saveasnew="Save as new"
        )
        data["bylines-INITIAL_FORMS"] = "0"
        response = reporter_client.post(change_url(own_draft), data)
        assert response.status_code == 200
        assert "Only an editor can publish" in response.content.decode()
        assert not Article.objects.filter(slug="copy").exists()

    def test_save_as_new_makes_the_reporter_the_owner_of_a_draft(
        self, reporter_client, reporter, own_draft
    ):
        data = change_data(own_draft, slug="copy", _saveasnew="Save as new")
        data["bylines-INITIAL_FORMS"] = "0"
        assert reporter_client.post(change_url(own_draft), data).status_code == 302
        copy = Article.objects.get(slug="copy")
        assert copy.created_by == reporter and copy.status == DRAFT

    @pytest.mark.parametrize("action", ["publish_now", "unpublish"])
    def test_bulk_publishing_actions_do_nothing(
        self, reporter_client, own_draft, action
    ):
        live = make_article(created_by=own_draft.created_by)
        reporter_client.post(
            "/admin/articles/article/",
            {"action": action, "_selected_action": [own_draft.pk, live.pk]},
        )
        own_draft.refresh_from_db()
        live.refresh_from_db()
        assert own_draft.status == DRAFT
        assert live.status == PUBLISHED

    def test_the_changelist_offers_no_publishing_action(
        self, reporter_client, own_draft
    ):
        html = reporter_client.get("/admin/articles/article/").content.decode()
        assert "submit_for_review" in html
        assert "publish_now" not in html and "delete_selected" not in html

    def test_send_for_review_action(self, reporter_client, own_draft):
        reporter_client.post(
            "/admin/articles/article/",
            {"action": "submit_for_review", "_selected_action": [own_draft.pk]},
        )
        own_draft.refresh_from_db()
        assert own_draft.status == REVIEW

    def test_a_published_own_article_is_read_only(self, reporter_client, reporter):
        live = make_article(headline="Already out", created_by=reporter)
        response = reporter_client.post(
            change_url(live), change_data(live, headline="Rewritten live")
        )
        assert response.status_code == 403
        live.refresh_from_db()
        assert live.headline == "Already out"

    def test_related_links_inline_is_read_only(self, reporter_client, own_draft):
        target = make_article()
        data = change_data(
            own_draft,
            **{
                "related_links-TOTAL_FORMS": "1",
                "related_links-0-target": target.pk,
                "related_links-0-kind": "pinned",
                "related_links-0-position": "0",
            },
        )
        reporter_client.post(change_url(own_draft), data)
        assert not RelatedLink.objects.filter(article=own_draft, kind="pinned").exists()

    def test_corrections_inline_is_absent(self, reporter_client, reporter):
        live = make_article(created_by=reporter)
        html = reporter_client.get(change_url(live)).content.decode()
        assert "corrections-TOTAL_FORMS" not in html


class TestReporterOnlySeesTheirOwn:
    @pytest.mark.parametrize(
        "url",
        [
            "/admin/articles/article/{pk}/change/",
            "/admin/articles/article/{pk}/history/",
            "/admin/articles/article/{pk}/delete/",
            "/admin/articles/article/{pk}/revisions/",
            "/admin/articles/article/{pk}/revisions/compare/?r=1&r=2",
            "/admin/articles/article/{pk}/revisions/1/restore/",
            "/preview/{pk}/",
        ],
    )
    def test_other_peoples_drafts_are_not_found(
        self, reporter_client, others_draft, url
    ):
        Revision.objects.create(article=others_draft, number=1, data={})
        response = reporter_client.get(url.format(pk=others_draft.pk))
        assert response.status_code == 404
        assert "Embargoed scoop" not in response.content.decode()

    def test_posting_to_another_reporters_draft_changes_nothing(
        self, reporter_client, others_draft
    ):
        response = reporter_client.post(
            change_url(others_draft), change_data(others_draft, headline="Hijacked")
        )
        assert response.status_code == 404
        others_draft.refresh_from_db()
        assert others_draft.headline == "Embargoed scoop"

    def test_restore_by_post_is_refused(self, reporter_client, others_draft):
        Revision.objects.create(article=others_draft, number=1, data={"headline": "x"})
        url = f"/admin/articles/article/{others_draft.pk}/revisions/1/restore/"
        assert reporter_client.post(url).status_code == 404
        others_draft.refresh_from_db()
        assert others_draft.headline == "Embargoed scoop"

    def test_the_public_address_of_another_draft_is_a_404(
        self, reporter_client, others_draft
    ):
        response = reporter_client.get(others_draft.get_absolute_url())
        assert response.status_code == 404

    def test_changelist_and_search_hide_other_peoples_articles(
        self, reporter_client, own_draft, others_draft
    ):
        html = reporter_client.get("/admin/articles/article/?q=scoop").content.decode()
        assert "Embargoed scoop" not in html
        html = reporter_client.get("/admin/articles/article/").content.decode()
        assert "My draft" in html and "Embargoed scoop" not in html

    def test_autocomplete_returns_only_visible_articles(
        self, reporter_client, own_draft, others_draft
    ):
        response = reporter_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "articles",
                "model_name": "relatedlink",
                "field_name": "target",
                "term": "",
            },
        )
        texts = [r["text"] for r in response.json()["results"]]
        assert "My draft" in texts and "Embargoed scoop" not in texts

    def test_tag_suggestions_skip_tags_only_on_others_drafts(
        self, reporter_client, others_draft
    ):
        others_draft.tags.set(["Secret merger"])
        make_article(tags=["Secondary schools"])
        response = reporter_client.get("/admin/articles/tag/suggest/", {"q": "Se"})
        names = [r["name"] for r in response.json()["results"]]
        assert names == ["Secondary schools"]

    def test_a_byline_author_may_edit(self, reporter_client, reporter, others_draft):
        author = Author.objects.create(name="Me", slug="me", user=reporter)
        others_draft.bylines.create(author=author, position=1)
        response = reporter_client.post(
            change_url(others_draft), change_data(others_draft, headline="Co-written")
        )
        assert response.status_code == 302
        others_draft.refresh_from_db()
        assert others_draft.headline == "Co-written"


class TestEditorsAndAdmins:
    def test_an_editor_publishes_and_edits_anyones_article(self, client, others_draft):
        login(client, make_user("Editor"))
        response = client.post(
            change_url(others_draft), change_data(others_draft, status=PUBLISHED)
        )
        assert response.status_code == 302
        others_draft.refresh_from_db()
        assert others_draft.is_live

    def test_an_editor_can_use_the_publishing_actions(self, client, others_draft):
        login(client, make_user("Editor"))
        client.post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [others_draft.pk]},
        )
        others_draft.refresh_from_db()
        assert others_draft.is_live

    @pytest.mark.parametrize("role", ["Reporter", "Editor"])
    def test_only_admins_manage_user_accounts(self, client, role):
        user = make_user(role)
        user.user_permissions.add(
            *Group.objects.get(name="Admin").permissions.filter(codename="change_user")
        )
        login(client, user)
        assert client.get("/admin/auth/user/").status_code == 403
        response = client.post(
            f"/admin/auth/user/{user.pk}/change/",
            {"username": user.username, "is_superuser": "on"},
        )
        assert response.status_code == 403
        user.refresh_from_db()
        assert not user.is_superuser

    def test_an_admin_manages_accounts_but_cannot_make_superusers(self, client):
        admin = make_user("Admin")
        login(client, admin)
        assert client.get("/admin/auth/user/").status_code == 200
        html = client.get(f"/admin/auth/user/{admin.pk}/change/").content.decode()
        assert 'name="is_superuser"' not in html
