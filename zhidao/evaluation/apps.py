from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhidao.evaluation"
    verbose_name = "期满考核"
