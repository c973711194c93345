# Owned by the "records" part of field work; included by fieldwork/urls.py.
from django.urls import path

from . import views

urlpatterns = [
    path("records/", views.work_record_list, name="work_record_list"),
    path("records/new/", views.work_record_create, name="work_record_create"),
    path("records/<int:pk>/", views.work_record_detail, name="work_record_detail"),
    path("records/<int:pk>/edit/", views.work_record_edit, name="work_record_edit"),
    path(
        "records/<int:pk>/attachments/<int:attachment_pk>/",
        views.work_record_attachment,
        name="work_record_attachment",
    ),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/new/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/answer/", views.finding_answer, name="finding_answer"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("findings/<int:pk>/reopen/", views.finding_reopen, name="finding_reopen"),
    path(
        "findings/<int:pk>/evidence/<int:evidence_pk>/",
        views.finding_evidence,
        name="finding_evidence",
    ),
    path("matters/", views.practical_matter_list, name="practical_matter_list"),
    path("matters/new/", views.practical_matter_create, name="practical_matter_create"),
    path("matters/<int:pk>/", views.practical_matter_detail, name="practical_matter_detail"),
    path("matters/<int:pk>/edit/", views.practical_matter_edit, name="practical_matter_edit"),
    path(
        "matters/<int:pk>/photos/<int:photo_pk>/",
        views.practical_matter_photo,
        name="practical_matter_photo",
    ),
]
