# Owned by the "onsite" part of field work; included by fieldwork/urls.py.
from django.urls import path

from zhidao.core.placeholder import placeholder

urlpatterns = [
    path("check-in/", placeholder, name="check_in"),
    path("days/", placeholder, name="on_site_day_list"),
    path("confirmations/", placeholder, name="officer_confirmations"),
]
