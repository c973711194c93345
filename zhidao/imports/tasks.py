from celery import shared_task

from . import services


@shared_task(name="imports.check_job")
def check_job(job_id: int) -> None:
    """Check a large upload in the background (queued after the upload's commit)."""
    services.run_check(job_id)


@shared_task(name="imports.import_job")
def import_job(job_id: int) -> None:
    """Import a large confirmed upload in the background, in one transaction."""
    services.run_import(job_id)
