"""Staff accounts and roles (Admins only), and shareable preview links.

Who may manage whom. User accounts and groups are managed by Admins and
superusers only (`AdminsOnly`). A superuser may do anything. An Admin who is
not a superuser manages only what is *within reach*, so that nothing they do
can leave them with a permission they did not already hold:

- An account is within reach when it is not a superuser and holds no
  permission, directly or through a group, that the Admin lacks. Only such
  accounts can be changed, have their password reset, or be deleted, one at a
  time or in bulk. Signing in as one of them grants nothing new. Every other
  account, each superuser among them, is still listed and can be viewed,
  read-only. Deactivated accounts count too: reactivating one is a way in.
- Superuser status is read-only on every account.
- On their own account, groups, permissions and staff status are read-only.
- The groups offered are those whose permissions the Admin holds; the
  permissions offered, to an account or a group, are those the Admin holds.
- A group is within reach when the Admin does not belong to it (changing it
  would change their own permissions) and it holds no permission they lack.
  Only such groups can be changed or deleted; others are read-only.

Each rule is applied through the admin's own hooks (`has_change_permission`
and `has_delete_permission` with the object, `get_readonly_fields`, and the
querysets of the `groups` and `permissions` fields), so the change form, the
password form, the delete view and the bulk delete action all follow it.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q

from articles.access import visible_articles
from articles.models import Article

from .. import previews
from ..models import PreviewLink
from ..workflow import is_admin


def _held_by(user):
    """Condition on Permission: held by `user` directly or through a group.

    Read from the tables rather than `user.get_all_permissions()`, which is
    empty for a deactivated account.
    """
    return Q(user=user) | Q(group__user=user)


def held_permissions(user):
    return Permission.objects.filter(_held_by(user)).distinct()


def permissions_lacked(user):
    held = Permission.objects.filter(_held_by(user)).values("pk")
    return Permission.objects.exclude(pk__in=held)


def grantable_groups(manager):
    """Groups whose every permission `manager` holds."""
    return Group.objects.exclude(permissions__in=permissions_lacked(manager))


def account_within_reach(manager, account):
    """May `manager` change, reset the password of, or delete `account`?"""
    if manager.is_superuser:
        return True
    if account.is_superuser:
        return False
    beyond = permissions_lacked(manager)
    return not Permission.objects.filter(_held_by(account), pk__in=beyond).exists()


def group_within_reach(manager, group):
    """May `manager` change or delete `group`?"""
    if manager.is_superuser:
        return True
    if manager.groups.filter(pk=group.pk).exists():
        return False
    return not group.permissions.filter(pk__in=permissions_lacked(manager)).exists()


class AdminsOnly:
    """User accounts and groups are managed by Admins (and superusers) only."""

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request.user) and super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(AdminsOnly, UserAdmin):
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or account_within_reach(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or account_within_reach(request.user, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # The password summary carries a reset button; this user would be
        # refused the reset form, so the read-only page leaves it out.
        fieldsets = [(name, dict(options)) for name, options in fieldsets]
        for _name, options in fieldsets:
            options["fields"] = [f for f in options["fields"] if f != "password"]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
            if obj is not None and obj.pk == request.user.pk:
                readonly += ["is_staff", "groups", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "groups":
                kwargs["queryset"] = grantable_groups(request.user)
            elif db_field.name == "user_permissions":
                kwargs["queryset"] = held_permissions(request.user).select_related(
                    "content_type"
                )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Group)
class RoleGroupAdmin(AdminsOnly, GroupAdmin):
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or group_within_reach(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or group_within_reach(request.user, obj)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions" and not request.user.is_superuser:
            kwargs["queryset"] = held_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    list_display = ["article", "created_by", "created_at", "expires_at", "revoked_at"]
    list_select_related = ["article", "created_by"]
    fields = ["article", "created_by", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke_links"]

    def has_add_permission(self, request):
        return False  # links are made from the article's page

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(
            article__in=visible_articles(request.user, Article.objects.all())
        )

    @admin.action(description="Revoke selected preview links", permissions=["change"])
    def revoke_links(self, request, queryset):
        for link in queryset:
            previews.revoke(link)
        self.message_user(request, f"Revoked {queryset.count()} link(s).")
