from django.urls import path

from zhidao.core.placeholder import placeholder

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", placeholder, name="federation_dashboard"),
]
