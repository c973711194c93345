from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/accounts.xlsx", views.job_accounts, name="job_accounts"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("<slug:kind>/template/", views.template_download, name="template"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:kind>/export/", views.export, name="export"),
]
