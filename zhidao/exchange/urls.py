from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/qr.png", views.event_qr_png, name="event_qr"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/attendance.xlsx", views.attendance_export, name="attendance_export"),
    path("events/<int:pk>/posts/", views.event_post, name="event_post"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", views.case_submit, name="case_submit"),
    path("cases/<int:pk>/review/", views.case_review, name="case_review"),
    path("cases/<int:pk>/comments/", views.case_comment, name="case_comment"),
    path("cases/<int:pk>/useful/", views.case_useful, name="case_useful"),
    path("cases/<int:pk>/posts/", views.case_post, name="case_post"),
    path("cases/<int:pk>/images/<int:image_pk>/", views.case_image, name="case_image"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        views.case_attachment,
        name="case_attachment",
    ),
]
