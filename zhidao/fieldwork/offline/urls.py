# Owned by the "offline" part of field work; included by fieldwork/urls.py.
from django.urls import path

from zhidao.fieldwork.offline import views as offline_views

urlpatterns = [
    path("offline/queue/", offline_views.offline_queue, name="offline_queue"),
    path("offline/", offline_views.offline_page, name="offline_page"),
    # Served by the app (not /static/) so it can say Service-Worker-Allowed: / and cover the
    # home page as well as /fieldwork/.
    path("sw.js", offline_views.service_worker, name="service_worker"),
]
