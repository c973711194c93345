from django.urls import path

from zhidao.core.placeholder import placeholder

app_name = "notifications"

urlpatterns = [path("", placeholder, name="inbox")]
