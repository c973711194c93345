from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_draft, name="report_draft"),
    path("roll-up.xlsx", views.report_rollup, name="report_rollup"),
    path("statistics/", views.upward, name="upward"),
    path("statistics/report.xlsx", views.upward_xlsx, name="upward_xlsx"),
    path("statistics/report.docx", views.upward_docx, name="upward_docx"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/report.docx", views.report_download, name="report_download"),
    path("<int:pk>/<slug:action>/", views.report_action, name="report_action"),
]
