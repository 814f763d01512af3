from django.contrib import admin

from .models import Agency, ApiToken, Association, Membership


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
    readonly_fields = ["prefix", "created"]
    exclude = ["token_hash"]
