from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("instructors/", views.instructor_list, name="instructor_list"),
    path(
        "instructors/autocomplete/", views.instructor_autocomplete, name="instructor_autocomplete"
    ),
    path("instructors/new/", views.instructor_create, name="instructor_create"),
    path("instructors/<int:pk>/", views.instructor_detail, name="instructor_detail"),
    path("instructors/<int:pk>/edit/", views.instructor_edit, name="instructor_edit"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/autocomplete/", views.batch_autocomplete, name="batch_autocomplete"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path(
        "assignments/autocomplete/", views.assignment_autocomplete, name="assignment_autocomplete"
    ),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path(
        "assignments/<int:pk>/end-early/",
        views.assignment_end_early,
        name="assignment_end_early",
    ),
]
