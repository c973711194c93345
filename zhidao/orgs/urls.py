from django.urls import path

from . import views

app_name = "orgs"

# Placeholders until the pages land; each name is what templates link to.
urlpatterns = [
    path("federations/", views.placeholder, name="federation_list"),
    path("organizations/", views.placeholder, name="organization_list"),
    path("unions/", views.placeholder, name="union_list"),
    path("unions/<int:pk>/", views.placeholder, name="union_detail"),
    path("organizations/<int:pk>/", views.placeholder, name="organization_detail"),
]
