from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_pragmas(sender, connection, **kwargs):
    # WAL lets the demo's readers and its one writer work side by side.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")
            cursor.execute("PRAGMA foreign_keys=ON;")


class CoreConfig(AppConfig):
    name = "zhidao.core"
    verbose_name = _("Core")

    def ready(self):
        connection_created.connect(_sqlite_pragmas)
        from . import lookups  # noqa: F401  (registers the search's short_icontains)
