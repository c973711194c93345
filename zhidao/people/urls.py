from django.urls import path

from . import security_views, views

app_name = "people"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("export/", views.account_export, name="account_export"),
    path("new/", views.account_create, name="account_create"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("<int:pk>/grants/", views.account_grant, name="account_grant"),
    path("<int:pk>/grants/<int:grant_id>/revoke/", views.account_revoke, name="account_revoke"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="account_deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate, name="account_reactivate"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="account_reset_password"),
    path("<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("<int:pk>/revoke-tokens/", views.account_revoke_tokens, name="account_revoke_tokens"),
    # The security administrator's page: the policy, and second factors to reset.
    path("security/", security_views.security, name="security"),
    path(
        "security/<int:pk>/reset-second-factor/",
        security_views.reset_second_factor,
        name="security_reset_second_factor",
    ),
]
