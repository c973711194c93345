from celery import shared_task

from . import services


@shared_task(name="exports.build_export")
def build_export(export_file_id: int) -> int | None:
    """Write a background export's file and notify its requester."""
    export_file = services.build_export_file(export_file_id=export_file_id)
    return export_file.row_count if export_file is not None else None


@shared_task(name="exports.delete_expired")
def delete_expired() -> int:
    """Daily: export files past their days are deleted."""
    return services.delete_expired_exports()
