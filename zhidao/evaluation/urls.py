# Included under dispatch/, where the evaluation pages have always been.
from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/rate/", views.evaluation_rate, name="evaluation_rate"),
    path("evaluations/<int:pk>/grade/", views.evaluation_grade, name="evaluation_grade"),
    path("evaluations/<int:pk>/finalize/", views.evaluation_finalize, name="evaluation_finalize"),
    path("evaluations/<int:pk>/download/", views.evaluation_download, name="evaluation_download"),
]
