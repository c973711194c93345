# Owned by the "compliance" part of field work; included by fieldwork/urls.py.
from django.urls import path

from zhidao.core.placeholder import placeholder

urlpatterns = [
    path("compliance/", placeholder, name="compliance_heatmap"),
    path("leave/", placeholder, name="leave_list"),
]
