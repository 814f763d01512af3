from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django_scopes import scopes_disabled

from .models import Agency, ApiToken, Association, Membership, MembershipInvitation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "county", "benchmark_opt_in"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["agencies"]
    inlines = [MembershipInline]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "association", "prefix", "created"]
    readonly_fields = ["prefix", "created", "created_by"]
    exclude = ["token_hash"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    # People are picked and found by e-mail: two people may share a name, never an address.
    list_display = ["user_email", "user", "association", "role"]
    list_filter = ["role", "association"]
    search_fields = ["user__email", "user__name", "association__name"]
    autocomplete_fields = ["user", "association"]
    list_select_related = ["user", "association"]

    @admin.display(description="E-post", ordering="user__email")
    def user_email(self, obj: Membership) -> str:
        return obj.user.email


@admin.register(MembershipInvitation)
class MembershipInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "association", "role", "sent_at", "expires_at", "accepted_at"]
    list_filter = ["role", "association"]
    search_fields = ["email", "association__name"]
    # Invitations are made on the members and platform pages, where the link is mailed; here one only looks.
    readonly_fields = ["association", "email", "role", "invited_by", "sent_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: object) -> bool:
        return False


def _across_tenants(admin_view: Callable[..., Any]) -> Callable[..., Any]:
    """Django's admin is the platform operator's (staff only) and lists every association's rows on purpose:
    its views run with tenant scoping (django-scopes) disabled."""

    def wrap(view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        checked = admin_view(view, cacheable)

        @wraps(checked)
        def unscoped(*args: Any, **kwargs: Any) -> Any:
            with scopes_disabled():
                return checked(*args, **kwargs)

        return unscoped

    return wrap


admin.site.admin_view = _across_tenants(admin.site.admin_view)  # type: ignore[method-assign]
