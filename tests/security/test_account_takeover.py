"""Admins manage accounts, but never one that holds more than they do.

A member of the Admin group who is not a superuser must not be able to take
over a superuser (reset their password, log in as them, deactivate or delete
them), nor raise their own privileges through their account or a group.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User

from tests.staff import login, make_user

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "the owner's own password 1"
NEW_PASSWORD = "chosen by the intruder 42"


def permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def user_form(user, **overrides):
    """The user change form's POST data, as the account stands."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [perm.pk for perm in user.user_permissions.all()],
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def group_form(group, **overrides):
    data = {
        "name": group.name,
        "permissions": [perm.pk for perm in group.permissions.all()],
    }
    data.update(overrides)
    return data


def password_form(password=NEW_PASSWORD):
    return {
        "password1": password,
        "password2": password,
        "usable_password": "true",
    }


def user_url(user, view="change"):
    return f"/admin/auth/user/{user.pk}/{view}/"


def group_url(group, view="change"):
    return f"/admin/auth/group/{group.pk}/{view}/"


@pytest.fixture
def admin(client):
    """A staff member of the Admin group, not a superuser."""
    return make_user("Admin")


@pytest.fixture
def admin_client(client, admin):
    return login(client, admin)


@pytest.fixture
def owner():
    return User.objects.create_superuser(
        "owner", "owner@example.com", OLD_PASSWORD, first_name="Site"
    )


@pytest.fixture
def engineers():
    """A group holding a permission the Admin role does not: erasing the log."""
    group = Group.objects.create(name="Site engineers")
    group.permissions.add(permission("admin.delete_logentry"))
    return group


def assert_untouched(owner):
    owner.refresh_from_db()
    assert owner.is_superuser and owner.is_staff and owner.is_active
    assert owner.check_password(OLD_PASSWORD)
    assert owner.first_name == "Site"


class TestSuperusersAreOutOfAnAdminsReach:
    def test_the_user_list_still_shows_superusers(self, admin_client, owner):
        response = admin_client.get("/admin/auth/user/")
        assert response.status_code == 200
        assert user_url(owner) in response.content.decode()

    def test_a_superusers_page_is_read_only_without_a_password_button(
        self, admin_client, owner
    ):
        response = admin_client.get(user_url(owner))
        assert response.status_code == 200
        html = response.content.decode()
        assert "owner@example.com" in html
        assert 'name="username"' not in html and 'name="is_active"' not in html
        assert "../password/" not in html

    @pytest.mark.parametrize(
        "change",
        [
            {"first_name": "Hijacked"},
            {"email": "intruder@example.com"},
            {"is_active": None},
            {"is_staff": None},
            {"is_superuser": None},
            {"groups": []},
        ],
        ids=["name", "email", "deactivate", "unstaff", "demote", "groups"],
    )
    def test_changing_a_superuser_is_forbidden(self, admin_client, owner, change):
        response = admin_client.post(user_url(owner), user_form(owner, **change))
        assert response.status_code == 403
        assert_untouched(owner)
        assert owner.email == "owner@example.com"

    def test_resetting_a_superusers_password_is_forbidden(
        self, admin_client, client, owner
    ):
        assert admin_client.get(user_url(owner, "password")).status_code == 403
        response = admin_client.post(user_url(owner, "password"), password_form())
        assert response.status_code == 403
        assert_untouched(owner)
        client.logout()
        login = {"username": "owner", "password": NEW_PASSWORD}
        response = client.post("/admin/login/?next=/admin/", login)
        assert response.status_code == 200  # the form again, not a redirect in
        assert "_auth_user_id" not in client.session

    def test_deleting_a_superuser_is_forbidden(self, admin_client, owner):
        assert admin_client.get(user_url(owner, "delete")).status_code == 403
        response = admin_client.post(user_url(owner, "delete"), {"post": "yes"})
        assert response.status_code == 403
        assert_untouched(owner)

    def test_bulk_delete_with_a_superuser_among_them_deletes_nobody(
        self, admin_client, owner
    ):
        reporter = make_user("Reporter")
        response = admin_client.post(
            "/admin/auth/user/",
            {
                "action": "delete_selected",
                "_selected_action": [owner.pk, reporter.pk],
                "post": "yes",
            },
        )
        assert response.status_code == 403
        assert User.objects.filter(pk__in=[owner.pk, reporter.pk]).count() == 2

    def test_bulk_delete_of_accounts_within_reach_still_works(self, admin_client):
        reporters = [make_user("Reporter"), make_user("Reporter")]
        response = admin_client.post(
            "/admin/auth/user/",
            {
                "action": "delete_selected",
                "_selected_action": [user.pk for user in reporters],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        assert not User.objects.filter(pk__in=[user.pk for user in reporters]).exists()

    def test_a_superuser_still_manages_other_superusers(self, client, owner):
        other = User.objects.create_superuser("deputy", "d@example.com", "x" * 20)
        login(client, owner)
        response = client.post(user_url(other, "password"), password_form())
        assert response.status_code == 302
        response = client.post(user_url(other), user_form(other, is_superuser=None))
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.check_password(NEW_PASSWORD) and not other.is_superuser


class TestAccountsHoldingMoreThanTheAdmin:
    @pytest.mark.parametrize("active", [True, False], ids=["active", "deactivated"])
    def test_are_read_only_to_the_admin(self, admin_client, engineers, active):
        engineer = make_user(is_active=active)
        engineer.groups.add(engineers)
        response = admin_client.post(user_url(engineer, "password"), password_form())
        assert response.status_code == 403
        response = admin_client.post(
            user_url(engineer), user_form(engineer, is_active="on")
        )
        assert response.status_code == 403
        assert admin_client.post(user_url(engineer, "delete")).status_code == 403
        engineer.refresh_from_db()
        assert engineer.is_active is active
        assert engineer.check_password("a long password 123")

    def test_a_direct_permission_counts_too(self, admin_client):
        engineer = make_user()
        engineer.user_permissions.add(permission("admin.delete_logentry"))
        response = admin_client.post(user_url(engineer, "password"), password_form())
        assert response.status_code == 403


class TestNoSelfPromotion:
    def test_own_privileges_are_shown_but_not_editable(self, admin_client, admin):
        response = admin_client.get(user_url(admin))
        assert response.status_code == 200
        html = response.content.decode()
        for field in ("groups", "user_permissions", "is_staff", "is_superuser"):
            assert f'name="{field}"' not in html
        assert 'name="email"' in html

    def test_posting_own_groups_and_permissions_changes_only_the_rest(
        self, admin_client, admin, engineers
    ):
        data = user_form(
            admin,
            email="me@example.com",
            groups=[group.pk for group in Group.objects.all()],
            user_permissions=[permission("admin.delete_logentry").pk],
            is_superuser="on",
        )
        response = admin_client.post(user_url(admin), data)
        assert response.status_code == 302
        admin.refresh_from_db()
        assert admin.email == "me@example.com"
        assert list(admin.groups.values_list("name", flat=True)) == ["Admin"]
        assert not admin.user_permissions.exists()
        assert not admin.is_superuser
        assert not admin.has_perm("admin.delete_logentry")


class TestGrantingOnlyWhatTheAdminHolds:
    def test_granting_a_group_with_permissions_the_admin_lacks_is_refused(
        self, admin_client, engineers
    ):
        reporter = make_user("Reporter")
        groups = [*reporter.groups.values_list("pk", flat=True), engineers.pk]
        response = admin_client.post(
            user_url(reporter), user_form(reporter, groups=groups)
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not reporter.groups.filter(pk=engineers.pk).exists()

    def test_granting_a_permission_the_admin_lacks_is_refused(self, admin_client):
        reporter = make_user("Reporter")
        extra = permission("admin.delete_logentry")
        response = admin_client.post(
            user_url(reporter), user_form(reporter, user_permissions=[extra.pk])
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not reporter.user_permissions.exists()

    def test_the_group_picker_offers_only_grantable_groups(
        self, admin_client, engineers
    ):
        reporter = make_user("Reporter")
        html = admin_client.get(user_url(reporter)).content.decode()
        assert ">Editor</option>" in html
        assert ">Site engineers</option>" not in html

    def test_granting_roles_the_admin_holds_works(self, admin_client):
        reporter = make_user("Reporter")
        editor = Group.objects.get(name="Editor")
        response = admin_client.post(
            user_url(reporter),
            user_form(
                reporter,
                groups=[editor.pk],
                user_permissions=[permission("articles.publish_article").pk],
            ),
        )
        assert response.status_code == 302
        assert list(reporter.groups.values_list("name", flat=True)) == ["Editor"]
        assert reporter.user_permissions.get().codename == "publish_article"


class TestGroupEditing:
    def test_a_group_the_admin_belongs_to_is_read_only(self, admin_client):
        own = Group.objects.get(name="Admin")
        before = set(own.permissions.values_list("pk", flat=True))
        extra = permission("admin.delete_logentry")
        response = admin_client.post(
            group_url(own), group_form(own, permissions=[*before, extra.pk])
        )
        assert response.status_code == 403
        assert set(own.permissions.values_list("pk", flat=True)) == before
        assert (
            admin_client.post(group_url(own, "delete"), {"post": "yes"}).status_code
            == 403
        )
        assert Group.objects.filter(pk=own.pk).exists()

    def test_a_group_holding_more_than_the_admin_is_read_only(
        self, admin_client, engineers
    ):
        response = admin_client.post(
            group_url(engineers), group_form(engineers, name="Renamed")
        )
        assert response.status_code == 403
        engineers.refresh_from_db()
        assert engineers.name == "Site engineers"

    def test_giving_a_group_a_permission_the_admin_lacks_is_refused(self, admin_client):
        editor = Group.objects.get(name="Editor")
        before = set(editor.permissions.values_list("pk", flat=True))
        extra = permission("admin.delete_logentry")
        response = admin_client.post(
            group_url(editor), group_form(editor, permissions=[*before, extra.pk])
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert set(editor.permissions.values_list("pk", flat=True)) == before

    def test_a_new_group_gets_only_permissions_the_admin_holds(self, admin_client):
        extra = permission("admin.delete_logentry")
        response = admin_client.post(
            "/admin/auth/group/add/", {"name": "Archivists", "permissions": [extra.pk]}
        )
        assert response.status_code == 200
        assert not Group.objects.filter(name="Archivists").exists()

    def test_editing_a_group_within_reach_works(self, admin_client):
        editor = Group.objects.get(name="Editor")
        view_user = permission("auth.view_user")
        before = list(editor.permissions.values_list("pk", flat=True))
        response = admin_client.post(
            group_url(editor), group_form(editor, permissions=[*before, view_user.pk])
        )
        assert response.status_code == 302
        assert editor.permissions.filter(pk=view_user.pk).exists()
