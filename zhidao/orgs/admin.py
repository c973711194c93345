from django.contrib import admin

from .models import Federation, Organization, Union


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "path")
    search_fields = ("name",)
    readonly_fields = ("path", "depth")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "kind", "federation", "status")
    search_fields = ("name", "credit_code")
    list_select_related = ("federation",)
    raw_id_fields = ("federation", "union")


@admin.register(Union)
class UnionAdmin(admin.ModelAdmin):
    list_display = ("name", "federation", "is_joint", "member_count", "status")
    search_fields = ("name",)
    list_select_related = ("federation",)
    raw_id_fields = ("federation",)
