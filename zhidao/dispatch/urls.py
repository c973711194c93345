from django.urls import path

from . import views

app_name = "dispatch"

# Placeholders until the pages land; each name is what templates link to.
urlpatterns = [
    path("instructors/", views.placeholder, name="instructor_list"),
    path("batches/", views.placeholder, name="batch_list"),
    path("assignments/", views.placeholder, name="assignment_list"),
    path("assignments/<int:pk>/", views.placeholder, name="assignment_detail"),
]
