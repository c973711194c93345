from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "zhidao.exports"
    verbose_name = _("Exports")

    def ready(self):
        from zhidao.core.exports import register_scope_namer

        from . import retention  # noqa: F401  (registers its rules on import)
        from .scope import scope_name

        # Each app's `exports.py` registers its lists (zhidao/core/exports.py).
        autodiscover_modules("exports")
        register_scope_namer(scope_name)
