from django.urls import path

from . import public_views, views

app_name = "appeals"

# Staff pages; the public (no-login) pages live in public_urls.py under /v/.
urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("new/", public_views.staff_new_appeal, name="appeal_new"),
    path("stats/", views.appeal_stats, name="appeal_stats"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views.appeal_photo, name="appeal_photo"),
    path("<int:pk>/<slug:action>/", views.appeal_action, name="appeal_action"),
]
