from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zhidao.audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import registry, signals  # noqa: F401  (signals connect on import)

        registry.register_domain_models()
