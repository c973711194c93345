from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from rules.contrib.views import PermissionRequiredMixin

from zhidao.core.permissions import PUBLIC, permission_required

from .forms import ChangePasswordForm, LoginForm


class LoginView(auth_views.LoginView):
    """Django's login: it passes the request to authenticate() (axes needs it) and rotates the
    session id on success. Lockouts are turned into the lockout page by AxesMiddleware."""

    required_permission = PUBLIC
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule); flushes the server-side session."""

    required_permission = PUBLIC


class PasswordChangeView(PermissionRequiredMixin, auth_views.PasswordChangeView):
    permission_required = "accounts.change_password"
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordChangeDoneView(PermissionRequiredMixin, auth_views.PasswordChangeDoneView):
    permission_required = "accounts.change_password"
    template_name = "accounts/password_change_done.html"


@permission_required("accounts.view_own_account")
@require_GET
def me(request):
    """我的: the user's roles, its account's links and every entry of the navigation (on a
    phone the bottom tab bar replaces the side menu, which this page then holds)."""
    grants = request.user.role_grants.select_related("federation", "union").order_by("role", "id")
    return render(request, "accounts/me.html", {"grants": list(grants)})
