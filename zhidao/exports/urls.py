from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("files/<int:pk>/", views.download, name="download"),
    path("<slug:key>/", views.export_list, name="export"),
]
