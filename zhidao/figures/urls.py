"""Included at the site's root: the statistics pages keep the addresses they have always had
under exchange/ and standards/."""

from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("figures/definitions/", views.definitions, name="definitions"),
    path("exchange/events/statistics/", views.exchange_statistics, name="exchange_statistics"),
    path(
        "standards/assessments/statistics/",
        views.standards_statistics,
        name="standards_statistics",
    ),
]
