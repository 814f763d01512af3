from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import RecoveryCodeDevice, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = AdminUserCreationForm
    form = AdminUserChangeForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        ("Behörigheter", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_active"]


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(admin.ModelAdmin):
    """Lets the platform remove someone's recovery codes; the codes are stored as digests, never shown."""

    list_display = ["user", "codes_left", "created_at", "last_used_at", "throttling_failure_count"]
    search_fields = ["user__email"]
    fields = ["user", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    @admin.display(description="oanvända koder")
    def codes_left(self, obj: RecoveryCodeDevice) -> int:
        return obj.codes.count()

    def has_add_permission(self, request: object) -> bool:
        return False
