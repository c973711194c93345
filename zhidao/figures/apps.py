from django.apps import AppConfig


class FiguresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhidao.figures"
    verbose_name = "统计"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the refresh-after-commit receivers)
