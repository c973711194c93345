from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import RoleGrant, User


def _superuser_only(request) -> bool:
    # Django's admin is for the system's superusers; every role uses the product's own pages.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["federation", "union"]


@admin.register(User)
class ZhidaoUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (None, {"fields": ("full_name", "must_change_password")}),
    )
    list_display = ("username", "full_name", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "full_name")
    inlines = [RoleGrantInline]
