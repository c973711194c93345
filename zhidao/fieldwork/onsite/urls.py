# Owned by the "onsite" part of field work; included by fieldwork/urls.py.
from django.urls import path

from . import views

urlpatterns = [
    path("check-in/", views.check_in, name="check_in"),
    path("days/", views.on_site_day_list, name="on_site_day_list"),
    path("days/<int:pk>/", views.on_site_day_detail, name="on_site_day_detail"),
    path("days/<int:pk>/check-out/", views.on_site_day_check_out, name="on_site_day_check_out"),
    path("days/<int:pk>/code/", views.on_site_day_confirm_code, name="on_site_day_confirm_code"),
    path("days/<int:pk>/confirm/", views.on_site_day_confirm, name="on_site_day_confirm"),
    path("days/<int:pk>/dispute/", views.on_site_day_dispute, name="on_site_day_dispute"),
    path("days/<int:pk>/photos/<int:photo_pk>/", views.day_photo, name="on_site_day_photo"),
    path("confirmations/", views.officer_confirmations, name="officer_confirmations"),
    path(
        "confirmations/unions/<int:union_pk>/code/",
        views.officer_issue_code,
        name="officer_issue_code",
    ),
]
