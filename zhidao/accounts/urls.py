from django.urls import path

from . import otp_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("2fa/", otp_views.overview, name="otp"),
    path("2fa/setup/", otp_views.setup, name="otp_setup"),
    path("2fa/qr.svg", otp_views.qr_code, name="otp_qr"),
    path("2fa/verify/", otp_views.verify, name="otp_verify"),
    path("2fa/recovery-codes/", otp_views.recovery_codes, name="otp_recovery_codes"),
]
