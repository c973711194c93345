from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Xiangtan demo loader; above every domain app, since it fills them all."""

    name = "zhidao.demo"
    verbose_name = _("Demo data")
