from django.urls import path

from . import views
from .setup import views as setup_views

app_name = "orgs"

urlpatterns = [
    path("federations/", views.federation_list, name="federation_list"),
    path("federations/new/", views.federation_create, name="federation_create"),
    path("federations/<int:pk>/", views.federation_detail, name="federation_detail"),
    path("federations/<int:pk>/edit/", views.federation_edit, name="federation_edit"),
    path("organizations/", views.organization_list, name="organization_list"),
    path(
        "organizations/autocomplete/",
        views.organization_autocomplete,
        name="organization_autocomplete",
    ),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("unions/", views.union_list, name="union_list"),
    path("unions/autocomplete/", views.union_autocomplete, name="union_autocomplete"),
    path("unions/new/", views.union_create, name="union_create"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
    path("unions/<int:pk>/edit/", views.union_edit, name="union_edit"),
    path("setup/", setup_views.setup, name="setup"),
    path("setup/done/", setup_views.setup_done, name="setup_done"),
]
