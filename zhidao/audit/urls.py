from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("export/", views.entry_export, name="entry_export"),
    path("access/", views.access_list, name="access_list"),
    path("access/export/", views.access_export, name="access_export"),
]
