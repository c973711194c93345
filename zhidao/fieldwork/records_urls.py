# Owned by the "records" part of field work; included by fieldwork/urls.py.
from django.urls import path

from zhidao.core.placeholder import placeholder

urlpatterns = [
    path("records/", placeholder, name="work_record_list"),
    path("findings/", placeholder, name="finding_list"),
    path("matters/", placeholder, name="practical_matter_list"),
]
