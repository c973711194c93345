# Owned by the "compliance" part of field work; included by fieldwork/urls.py.
from django.urls import path

from . import views

urlpatterns = [
    path("compliance/", views.compliance_heatmap, name="compliance_heatmap"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/new/", views.leave_create, name="leave_create"),
    path("leave/<int:pk>/", views.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/decide/", views.leave_decide, name="leave_decide"),
]
