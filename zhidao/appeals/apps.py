from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "zhidao.appeals"
    verbose_name = _("Worker and enterprise appeals")

    def ready(self):
        # Imported for what they register: retention rules, the statistics' signal receivers.
        from . import retention, stats  # noqa: F401
