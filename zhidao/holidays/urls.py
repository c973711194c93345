from django.urls import path

from . import views

app_name = "holidays"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("new/", views.year_create, name="year_create"),
    path("<int:year>/", views.year_detail, name="year_detail"),
]
