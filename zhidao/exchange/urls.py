from django.urls import path

from zhidao.core.placeholder import placeholder

app_name = "exchange"

urlpatterns = [
    path("events/", placeholder, name="event_list"),
    path("cases/", placeholder, name="case_list"),
]
