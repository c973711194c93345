from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhidao.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Both modules import models, which an AppConfig may only do once the apps are ready.
        from zhidao.core.scoping import register_scope_provider

        from . import signals  # noqa: F401  (signals connect on import)
        from .scope import scope_of

        register_scope_provider(scope_of)
