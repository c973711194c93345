from django.urls import path

from zhidao.core.placeholder import placeholder

app_name = "holidays"

urlpatterns = [path("", placeholder, name="calendar")]
