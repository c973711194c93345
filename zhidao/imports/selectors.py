"""Scoped reads of the imports: the jobs an admin's subtree ran."""

from django.db.models import QuerySet

from .models import ImportJob

RECENT_JOBS = 20


def jobs_visible_to(user) -> QuerySet[ImportJob]:
    return ImportJob.objects.visible_to(user).select_related("created_by", "federation")


def recent_jobs(user, *, limit: int = RECENT_JOBS) -> list[ImportJob]:
    return list(jobs_visible_to(user).defer("errors", "preview")[:limit])
