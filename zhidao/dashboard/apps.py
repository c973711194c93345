from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "zhidao.dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        # Each app's `workbench.py` registers its to-do providers (zhidao/core/workbench.py);
        # the apps above this one (imports) are found the same way, never imported by name.
        autodiscover_modules("workbench")
