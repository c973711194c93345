# Owned by the "offline" part of field work; included by fieldwork/urls.py.
from django.urls import path

from zhidao.fieldwork.offline import views as offline_views

urlpatterns = [
    path("offline/sync/check-in/", offline_views.sync_check_in, name="sync_check_in"),
    path("offline/sync/check-out/", offline_views.sync_check_out, name="sync_check_out"),
    path("offline/sync/work-record/", offline_views.sync_work_record, name="sync_work_record"),
    path("offline/queue/", offline_views.offline_queue, name="offline_queue"),
    path("offline/", offline_views.offline_page, name="offline_page"),
    # Served by the app (not /static/) so it can say Service-Worker-Allowed: / and cover the
    # home page as well as /fieldwork/.
    path("sw.js", offline_views.service_worker, name="service_worker"),
]
