from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import remember_login_policy, remember_login_time


@receiver(user_logged_in, dispatch_uid="accounts_remember_login_time")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_login_time(request)
        remember_login_policy(request, user)
