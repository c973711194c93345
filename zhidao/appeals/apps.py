from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "zhidao.appeals"
    verbose_name = _("Worker and enterprise appeals")

    def ready(self):
        from . import retention  # noqa: F401  (registers its rules on import)
