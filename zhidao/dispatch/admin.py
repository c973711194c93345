from django.contrib import admin

from .models import Assignment, AssignmentOrganization, Batch, Instructor


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin):
    list_display = ("name", "federation", "department", "status")
    search_fields = ("name",)
    raw_id_fields = ("user", "federation")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("name", "federation", "year", "starts_on", "ends_on")


class AssignmentOrganizationInline(admin.TabularInline):
    model = AssignmentOrganization
    raw_id_fields = ("organization",)
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("instructor", "batch", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("instructor", "batch")
    inlines = [AssignmentOrganizationInline]
