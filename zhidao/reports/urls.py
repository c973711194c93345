from django.urls import path

from zhidao.core.placeholder import placeholder

app_name = "reports"

urlpatterns = [path("", placeholder, name="report_list")]
