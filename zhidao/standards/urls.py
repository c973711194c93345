from django.urls import path

from zhidao.core.placeholder import placeholder

app_name = "standards"

urlpatterns = [
    path("assessments/", placeholder, name="assessment_list"),
    path("honours/", placeholder, name="honour_list"),
    path("indicator-sets/", placeholder, name="indicator_set_list"),
]
