"""Scoped reads of the imports: the jobs an admin's subtree ran."""

from django.db.models import Q, QuerySet

from .models import ImportJob, ImportStatus

RECENT_JOBS = 20


def jobs_visible_to(user) -> QuerySet[ImportJob]:
    return ImportJob.objects.visible_to(user).select_related("created_by", "federation")


def recent_jobs(user, *, limit: int = RECENT_JOBS) -> list[ImportJob]:
    return list(jobs_visible_to(user).defer("errors", "preview")[:limit])


# Checked without errors and not yet confirmed: the import waits for its uploader's 确认导入.
WAITING = Q(status=ImportStatus.CHECKED, error_rows=0, total_rows__gt=0)
WAITING_JOBS_SHOWN = 500


def waiting_jobs(user) -> list[ImportJob]:
    """The hub's `?waiting=on` list (the workbench's link): every job waiting to be confirmed."""
    jobs = jobs_visible_to(user).filter(WAITING).defer("errors", "preview")
    return list(jobs[:WAITING_JOBS_SHOWN])
