"""The imports' use cases: check an upload (the preview, nothing written), confirm it (all rows
or none), and the API's import in one call.

A small file is checked and imported in the request; a file of more than IMPORT_SYNC_MAX_ROWS
rows in a background task queued after the commit, which updates the job's progress every
chunk of rows and notifies the uploader when it is done. Confirming re-reads and re-checks the
stored file, since the data may have changed since the preview, and writes only if it is still
free of errors, in one transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.models import User
from zhidao.accounts.scope import scope_of
from zhidao.core.crypto import decrypt, encrypt
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify
from zhidao.orgs.models import Federation

from .kinds.base import CREATE, UPDATE, ImportKind, ImportPlan, RowError
from .models import PREVIEW_CLEANINGS, PREVIEW_ROWS, ImportJob, ImportStatus
from .reading import FileProblem, SourceRow, estimate_rows, max_bytes, read_rows

logger = logging.getLogger(__name__)

DEFAULT_SYNC_MAX_ROWS = 2000
PROGRESS_CHUNK = 1000
ACCEPTED_EXTENSIONS = ("xlsx", "csv")


def sync_max_rows() -> int:
    return getattr(settings, "IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


@dataclass
class ImportOutcome:
    """What an import did: its summary (the API's answer) and the accounts it created, with
    their one-time passwords (handed on once, never stored in clear)."""

    summary: dict
    accounts: list[dict] = field(default_factory=list)
    written: bool = False


# ----- who may -----


def require_importer(actor) -> None:
    if not actor.has_perm("imports.use_imports"):
        raise PermissionDenied


def outermost_federation(actor) -> Federation | None:
    """The federation an import is filed under (and its export named after): the actor's
    outermost administered federation; for the superuser, the first root."""
    scope = scope_of(actor)
    federations = Federation.objects.unscoped()
    if scope.admin_paths:
        return federations.filter(path=sorted(scope.admin_paths)[0]).first()
    if scope.is_superuser:
        return federations.filter(parent__isnull=True).order_by("path").first()
    return None


def check_file_type_and_size(upload, name: str) -> None:
    """What is refused before a file is stored at all: its type and its size."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            _("Only .xlsx workbooks and .csv files can be imported (this file is “%(name)s”).")
            % {"name": name}
        )
    size = getattr(upload, "size", 0) or 0
    if size > max_bytes():
        raise ValidationError(
            _("The file is too large (%(size).1f MB); the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": max_bytes() // 1024 // 1024}
        )


# ----- planning a stored file -----


def _tracked(rows: Iterable[SourceRow], job: ImportJob | None) -> Iterator[SourceRow]:
    """The rows, counting them into the job's progress every PROGRESS_CHUNK rows (in the
    background only: a request's check is over before anybody could look)."""
    for count, row in enumerate(rows, start=1):
        if job is not None and count % PROGRESS_CHUNK == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=count)
        yield row


def plan_upload(kind: ImportKind, handle, *, name: str, actor, job=None) -> ImportPlan:
    """Read and check a file; a file that cannot be read is a plan with one error in row 0."""
    try:
        rows = list(_tracked(read_rows(handle, name=name, columns=kind.columns), job))
    except FileProblem as problem:
        return ImportPlan(kind=kind.key, file_errors=[RowError(0, "", problem.message)])
    return kind.plan(rows, actor=actor)


def _plan_job(job: ImportJob, kind: ImportKind, actor, *, track: bool) -> ImportPlan:
    with job.file.open("rb") as handle:
        return plan_upload(
            kind, handle, name=job.file_name, actor=actor, job=job if track else None
        )


def _preview(kind: ImportKind, plan: ImportPlan) -> dict:
    """What the job page shows of a plan besides the errors: a sample of the rows to create
    and update (with the columns an update changes and their values before), and the cleaned
    cells."""
    headers = [str(column.header) for column in kind.columns]
    keys = [column.key for column in kind.columns]
    sample = []
    for row in plan.rows:
        if row.action not in (CREATE, UPDATE):
            continue
        before = kind.export_texts(row.instance) if row.instance is not None else {}
        sample.append(
            {
                "row": row.row,
                "action": row.action,
                "cells": [
                    {"text": row.texts.get(key, ""), "changed": key in row.changes} for key in keys
                ],
                "changes": [
                    {
                        "column": header,
                        "before": before.get(key, ""),
                        "after": row.texts.get(key, ""),
                    }
                    for header, key in zip(headers, keys, strict=True)
                    if key in row.changes
                ],
            }
        )
        if len(sample) >= PREVIEW_ROWS:
            break
    cleanings = [
        {"row": row.row, "column": c.column, "before": c.before, "after": c.after}
        for row in plan.rows
        for c in row.cleanings
    ]
    return {
        "headers": headers,
        "rows": sample,
        "cleanings": cleanings[:PREVIEW_CLEANINGS],
        "cleaning_count": len(cleanings),
    }


def _store_plan(job: ImportJob, kind: ImportKind, plan: ImportPlan) -> None:
    summary = plan.summary()
    job.total_rows = len(plan.rows)
    job.processed_rows = len(plan.rows)
    job.created_count = summary["created"]
    job.updated_count = summary["updated"]
    job.unchanged_count = summary["unchanged"]
    job.errors = summary["errors"]
    job.error_rows = len({error["row"] for error in summary["errors"]})
    job.preview = _preview(kind, plan)
    job.checked_at = timezone.now()
    job.status = ImportStatus.CHECKED


def _kind_of(job: ImportJob) -> ImportKind:
    from .kinds import get_kind

    kind = get_kind(job.kind)
    if kind is None:  # pragma: no cover - a kind removed since the upload
        raise ValidationError(_("This kind of import no longer exists."))
    return kind


def job_url(job: ImportJob) -> str:
    return reverse("imports:job_detail", args=[job.pk])


def _notify_finished(job: ImportJob, recipient: User | None) -> None:
    kind = _kind_of(job)
    if job.status == ImportStatus.CHECKED:
        title = (
            _("The import file “%(name)s” is checked: %(errors)d rows with errors")
            % {"name": job.file_name, "errors": job.error_rows}
            if job.errors
            else _("The import file “%(name)s” is checked and ready to import")
            % {"name": job.file_name}
        )
    elif job.status == ImportStatus.DONE:
        title = _("%(kind)s imported from “%(name)s”") % {"kind": kind.label, "name": job.file_name}
    else:
        title = _("The import of “%(name)s” failed; nothing was written") % {"name": job.file_name}
    notify(
        recipient,
        kind=NotificationKind.OTHER,
        cause_key=f"import:{job.pk}:{job.status}:{job.checked_at and job.checked_at.timestamp()}",
        title=title,
        body=_("%(created)d to create, %(updated)d to update, %(unchanged)d unchanged.")
        % {
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
        },
        link=job_url(job),
    )


# ----- checking -----


@use_case
def check_upload(*, actor, kind: ImportKind, upload: UploadedFile) -> ImportJob:
    """Store the upload as a job and check it: at once for a small file, in the background
    (after the commit) for a large one. Nothing but the job is written."""
    require_importer(actor)
    name = upload.name or "upload"
    check_file_type_and_size(upload, name)
    job = ImportJob(
        kind=kind.key,
        created_by=actor,
        federation=outermost_federation(actor),
        file_name=name[:255],
        status=ImportStatus.CHECKING,
    )
    job.total_rows = estimate_rows(upload, name=name)
    job.file.save(name, upload, save=False)
    job.save()
    if job.total_rows > sync_max_rows():
        from .tasks import check_job

        transaction.on_commit(lambda: check_job.delay(job.pk), robust=True)
        return job
    _store_plan(job, kind, _plan_job(job, kind, actor, track=False))
    job.save()
    return job


@unguarded_call
def run_check(job_id: int) -> None:
    """The background check (a task): plan the stored file, progress counted as it reads."""
    job = ImportJob.objects.unscoped().select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.CHECKING:
        return
    kind = _kind_of(job)
    try:
        plan = _plan_job(job, kind, job.created_by, track=True)
        _store_plan(job, kind, plan)
    except Exception:
        logger.exception("import job %s: the check failed", job.pk)
        job.status = ImportStatus.FAILED
        job.failure = _("The file could not be checked because of an internal error.")
    job.save()
    _notify_finished(job, job.created_by)


# ----- importing -----


@unguarded_call
def confirm_import(*, actor, job: ImportJob) -> ImportJob:
    """Import a checked job with no errors: at once for a small file, in the background for a
    large one. Returns the job as it stands (done, failed, importing, or checked again with the
    errors found since the preview)."""
    if not actor.has_perm("imports.change_importjob", job):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.unscoped().select_for_update().get(pk=job.pk)
        if not job.can_confirm:
            raise ValidationError(
                _("This import cannot be confirmed: it is not checked, has errors or is done.")
            )
        job.status = ImportStatus.IMPORTING
        job.confirmed_by = actor
        job.confirmed_at = timezone.now()
        job.processed_rows = 0
        job.save()
    if job.total_rows > sync_max_rows():
        from .tasks import import_job

        transaction.on_commit(lambda: import_job.delay(job.pk), robust=True)
        return job
    _import(job, track=False)
    return job


@unguarded_call
def run_import(job_id: int) -> None:
    """The background import (a task)."""
    job = ImportJob.objects.unscoped().select_related("confirmed_by").get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return
    _import(job, track=True)
    _notify_finished(job, job.confirmed_by)


def _import(job: ImportJob, *, track: bool) -> None:
    kind = _kind_of(job)
    actor = job.confirmed_by
    try:
        plan = _plan_job(job, kind, actor, track=track)
        if plan.errors:
            # The data changed since the preview: the job is a preview again, with its errors.
            _store_plan(job, kind, plan)
            job.save()
            return
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=len(plan.rows))
        with transaction.atomic():
            accounts = kind.apply(plan.rows, actor=actor) or []
        _store_plan(job, kind, plan)
        job.status = ImportStatus.DONE
        job.sealed_accounts = seal_accounts(accounts)
    except Exception as error:
        logger.exception("import job %s: the import failed", job.pk)
        job.status = ImportStatus.FAILED
        job.failure = _(
            "The import failed and nothing was written (%(reason)s). Check the file and try "
            "again, or ask the system administrator."
        ) % {"reason": _failure_reason(error)}
    job.finished_at = timezone.now()
    job.save()


def _failure_reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return _("an internal error")


def seal_accounts(accounts: list[dict]) -> str:
    return encrypt(json.dumps(accounts, ensure_ascii=False)) if accounts else ""


def unseal_accounts(sealed: str) -> list[dict]:
    if not sealed:
        return []
    try:
        return json.loads(decrypt(sealed) or "[]")
    except ValueError:
        return []


@use_case
def take_accounts(*, actor, job: ImportJob) -> list[dict]:
    """The accounts an import created, once: for the user who confirmed it; emptied after."""
    locked = ImportJob.objects.unscoped().select_for_update().get(pk=job.pk)
    if locked.confirmed_by_id != actor.pk or not locked.sealed_accounts:
        return []
    accounts = unseal_accounts(locked.sealed_accounts)
    locked.sealed_accounts = ""
    locked.save(update_fields=["sealed_accounts"])
    return accounts


# ----- the API's import in one call -----


@unguarded_call
def import_now(*, actor, kind: ImportKind, upload: UploadedFile, dry_run: bool) -> ImportOutcome:
    """Check and, unless `dry_run` or any row has an error, import, in the request. A real
    import is filed as a job (the audit's who, when, file and counts; the file kept)."""
    require_importer(actor)
    name = upload.name or "upload"
    try:
        check_file_type_and_size(upload, name)
    except ValidationError as error:
        problem = ImportPlan(kind=kind.key, file_errors=[RowError(0, "", error.messages[0])])
        return ImportOutcome(summary=problem.summary())
    if dry_run:
        return ImportOutcome(summary=plan_upload(kind, upload, name=name, actor=actor).summary())
    with transaction.atomic():
        plan = plan_upload(kind, upload, name=name, actor=actor)
        if plan.errors:
            return ImportOutcome(summary=plan.summary())
        accounts = kind.apply(plan.rows, actor=actor) or []
        job = ImportJob(
            kind=kind.key,
            created_by=actor,
            federation=outermost_federation(actor),
            file_name=name[:255],
            confirmed_by=actor,
            confirmed_at=timezone.now(),
            finished_at=timezone.now(),
        )
        upload.seek(0)
        job.file.save(name, upload, save=False)
        _store_plan(job, kind, plan)
        job.status = ImportStatus.DONE
        job.save()
    return ImportOutcome(summary=plan.summary(), accounts=list(accounts), written=True)
