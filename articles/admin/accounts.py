"""Staff accounts and roles (Admins only), and shareable preview links."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from .. import previews
from ..models import Article, PreviewLink
from ..workflow import is_admin, visible_articles


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
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly


@admin.register(Group)
class RoleGroupAdmin(AdminsOnly, GroupAdmin):
    pass


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
