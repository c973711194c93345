from django.db.models import QuerySet

from zhidao.accounts.models import User

from .models import ExportFile


def export_files_visible_to(user: User) -> QuerySet[ExportFile]:
    """Only one's own export files."""
    return ExportFile.objects.visible_to(user)
