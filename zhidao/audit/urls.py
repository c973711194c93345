from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("access/", views.access_list, name="access_list"),
    path("retention/", views.retention, name="retention"),
]
