from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "zhidao.fieldwork"
    verbose_name = _("Field work")
