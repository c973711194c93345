from django.urls import path

from . import federation_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", federation_views.federation_dashboard, name="federation_dashboard"),
    path(
        "dashboard/export.xlsx",
        federation_views.federation_dashboard_xlsx,
        name="federation_dashboard_xlsx",
    ),
]
