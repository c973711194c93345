"""Pages of work records (工作记录), findings and their rectification (问题清单 → 整改闭环) and
practical matters (实事).

Each page declares its permission (fieldwork/rules.py): another scope's row is a 404, a role that
sees the row but may not act on it (answer as the officer, verify as the instructor) gets a 403.
Reads go through the scoped selectors, writes through the services.
"""

import mimetypes
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.core.pagination import keyset_page, paginate
from zhidao.core.permissions import permission_required
from zhidao.fieldwork import feedback, services
from zhidao.fieldwork.models import Finding, FindingStatus, PracticalMatter, WorkRecord
from zhidao.fieldwork.records import services as records_services
from zhidao.fieldwork.records.filters import (
    FindingFilterSet,
    PracticalMatterFilterSet,
    WorkRecordFilterSet,
)
from zhidao.fieldwork.records.forms import (
    FindingAnswerForm,
    FindingCloseForm,
    FindingForm,
    FindingReopenForm,
    PracticalMatterEditForm,
    PracticalMatterForm,
    WorkRecordEditForm,
    WorkRecordForm,
    add_service_error,
)

from . import selectors

# How far back the on-site day picker of a work record reaches.
LINKABLE_DAYS_BACK = 60
PLACE_ALIASES = {"assignment": "organization", "on_date": "organization"}


def _save(request, form, save, aliases=None):
    """Validate a submitted form and save it through a service; None when the page shows again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_error(form, error, aliases)
        return None


def _serve_file(field_file, *, download_name: str, inline: bool = False) -> FileResponse:
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=download_name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ----- work records -----


def _work_records(request) -> WorkRecordFilterSet:
    records = selectors.work_record_list(request.user)
    return WorkRecordFilterSet(request.GET, queryset=records, request=request)


@permission_required("fieldwork.view_workrecord")
def work_record_list(request):
    filterset = _work_records(request)
    page_obj = keyset_page(request, filterset.qs)
    selectors.count_attachments(page_obj.rows)
    return render(
        request,
        "fieldwork/records/work_record_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": page_obj,
            "search_placeholder": _("Organization name, pinyin or initials"),
            "deadline_days": settings.RECORD_PROMPT_DAYS,
        },
    )


@permission_required("fieldwork.view_workrecord", WorkRecord)
def work_record_detail(request, pk: int):
    record = get_object_or_404(selectors.work_record_detail(request.user), pk=pk)
    can_edit = selectors.work_records_editable_by(request.user).filter(pk=record.pk).exists()
    return render(
        request,
        "fieldwork/records/work_record_detail.html",
        {"record": record, "can_edit": can_edit},
    )


def _linkable_days(user):
    since = timezone.localdate() - timedelta(days=LINKABLE_DAYS_BACK)
    return selectors.linkable_on_site_days(user).filter(on_date__gte=since)


def _record_start(request) -> dict:
    """A new record starts at today's check-in (or the day its page names): its organization,
    its date and the day itself, so on site only the duty and the content are left to fill."""
    day_id = request.GET.get("day", "")
    today = timezone.localdate()
    day = selectors.day_to_record_on(
        request.user,
        today=today,
        since=today - timedelta(days=LINKABLE_DAYS_BACK),
        day_id=int(day_id) if day_id.isdigit() else None,
    )
    if day is None:
        return {}
    return {"organization": day.organization_id, "worked_on": day.on_date, "on_site_day": day.pk}


@permission_required("fieldwork.add_workrecord")
def work_record_create(request):
    places = selectors.recording_places(request.user)
    form = WorkRecordForm(
        request.POST or None,
        request.FILES or None,
        places=places,
        on_site_days=_linkable_days(request.user),
        initial={} if request.method == "POST" else _record_start(request),
    )

    def save():
        stored = services.create_work_record(
            actor=request.user,
            client_uuid=form.cleaned_data["client_uuid"],
            **form.place(),
            **form.record_fields(),
        )
        if stored.created:
            records_services.add_work_record_attachments(
                actor=request.user, record=stored.record, files=form.cleaned_data["attachments"]
            )
        return stored

    stored = _save(request, form, save, PLACE_ALIASES)
    if stored is not None:
        record = stored.record
        feedback.tell(request, feedback.work_record_notes(record, created=stored.created))
        return redirect("fieldwork:work_record_detail", pk=record.pk)
    return render(
        request,
        "fieldwork/records/work_record_form.html",
        {"form": form, "has_places": bool(places)},
    )


@permission_required("fieldwork.change_workrecord", WorkRecord)
def work_record_edit(request, pk: int):
    record = get_object_or_404(selectors.work_records_editable_by(request.user), pk=pk)
    form = WorkRecordEditForm(
        request.POST or None,
        request.FILES or None,
        on_site_days=_linkable_days(request.user).filter(assignment_id=record.assignment_id),
        initial={
            "duty": record.duty,
            "worked_on": record.worked_on,
            "participants": record.participants,
            "content": record.content,
            "on_site_day": record.on_site_day_id,
        },
    )
    saved = _save(
        request,
        form,
        lambda: records_services.update_work_record(
            actor=request.user,
            record=record,
            files=form.cleaned_data["attachments"],
            **form.record_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, _("The work record was saved."))
        return redirect("fieldwork:work_record_detail", pk=record.pk)
    return render(
        request,
        "fieldwork/records/work_record_form.html",
        {"form": form, "record": record, "has_places": True},
    )


@permission_required("fieldwork.view_workrecord", WorkRecord)
def work_record_attachment(request, pk: int, attachment_pk: int):
    record = get_object_or_404(selectors.work_records_visible_to(request.user), pk=pk)
    attachment = get_object_or_404(record.attachments, pk=attachment_pk)
    return _serve_file(attachment.file, download_name=attachment.original_name)


# ----- findings -----


@permission_required("fieldwork.view_finding")
def finding_list(request):
    findings = selectors.finding_list(request.user, today=timezone.localdate())
    filterset = FindingFilterSet(request.GET, queryset=findings, request=request)
    return render(
        request,
        "fieldwork/records/finding_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "search_placeholder": _("Organization name, pinyin or initials"),
        },
    )


def _finding_page(request, finding_pk: int, **forms):
    user = request.user
    finding = get_object_or_404(
        selectors.finding_detail(user, today=timezone.localdate()), pk=finding_pk
    )
    can_answer = (
        finding.status in (FindingStatus.OPEN, FindingStatus.REOPENED)
        and selectors.findings_answerable_by(user).filter(pk=finding.pk).exists()
    )
    can_verify = (
        finding.status == FindingStatus.ANSWERED
        and selectors.findings_verifiable_by(user).filter(pk=finding.pk).exists()
    )
    context = {
        "finding": finding,
        "answer_form": forms.get("answer_form") or (FindingAnswerForm() if can_answer else None),
        "close_form": forms.get("close_form") or (FindingCloseForm() if can_verify else None),
        "reopen_form": forms.get("reopen_form")
        or (FindingReopenForm(prefix="reopen") if can_verify else None),
    }
    return render(request, "fieldwork/records/finding_detail.html", context)


@permission_required("fieldwork.view_finding", Finding)
def finding_detail(request, pk: int):
    return _finding_page(request, pk)


@permission_required("fieldwork.add_finding")
def finding_create(request):
    places = selectors.recording_places(request.user)
    form = FindingForm(request.POST or None, places=places)
    finding = _save(
        request,
        form,
        lambda: records_services.open_finding(
            actor=request.user,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            recommendation=form.cleaned_data["recommendation"],
            found_on=form.cleaned_data["found_on"],
            due_on=form.cleaned_data["due_on"],
            **form.place(),
        ),
        PLACE_ALIASES,
    )
    if finding is not None:
        messages.success(request, _("The finding was recorded; the union can now answer it."))
        return redirect("fieldwork:finding_detail", pk=finding.pk)
    return render(
        request,
        "fieldwork/records/finding_form.html",
        {"form": form, "has_places": bool(places)},
    )


def _finding_action(request, pk: int, *, selector, form, form_name: str, act, done: str):
    finding = get_object_or_404(selector(request.user), pk=pk)
    if _save(request, form, lambda: act(finding)) is not None:
        messages.success(request, done)
        return redirect("fieldwork:finding_detail", pk=finding.pk)
    return _finding_page(request, finding.pk, **{form_name: form})


@require_POST
@permission_required("fieldwork.answer_finding", Finding)
def finding_answer(request, pk: int):
    form = FindingAnswerForm(request.POST, request.FILES)
    return _finding_action(
        request,
        pk,
        selector=selectors.findings_answerable_by,
        form=form,
        form_name="answer_form",
        act=lambda finding: records_services.answer_finding(
            actor=request.user,
            finding=finding,
            answer=form.cleaned_data["answer"],
            files=form.cleaned_data["evidence"],
        ),
        done=_("Your answer was sent to the instructor for verification."),
    )


@require_POST
@permission_required("fieldwork.verify_finding", Finding)
def finding_close(request, pk: int):
    form = FindingCloseForm(request.POST)
    return _finding_action(
        request,
        pk,
        selector=selectors.findings_verifiable_by,
        form=form,
        form_name="close_form",
        act=lambda finding: records_services.close_finding(
            actor=request.user, finding=finding, comment=form.cleaned_data["comment"]
        ),
        done=_("The rectification was verified and the finding closed."),
    )


@require_POST
@permission_required("fieldwork.verify_finding", Finding)
def finding_reopen(request, pk: int):
    form = FindingReopenForm(request.POST, prefix="reopen")
    return _finding_action(
        request,
        pk,
        selector=selectors.findings_verifiable_by,
        form=form,
        form_name="reopen_form",
        act=lambda finding: records_services.reopen_finding(
            actor=request.user, finding=finding, comment=form.cleaned_data["comment"]
        ),
        done=_("The finding was reopened; the union must answer it again."),
    )


@permission_required("fieldwork.view_finding", Finding)
def finding_evidence(request, pk: int, evidence_pk: int):
    finding = get_object_or_404(selectors.findings_visible_to(request.user), pk=pk)
    evidence = get_object_or_404(finding.evidence, pk=evidence_pk)
    return _serve_file(evidence.file, download_name=evidence.original_name)


# ----- practical matters -----


def _practical_matters(request) -> PracticalMatterFilterSet:
    matters = selectors.practical_matter_list(request.user)
    return PracticalMatterFilterSet(request.GET, queryset=matters, request=request)


@permission_required("fieldwork.view_practicalmatter")
def practical_matter_list(request):
    filterset = _practical_matters(request)
    matters = filterset.qs
    return render(
        request,
        "fieldwork/records/practical_matter_list.html",
        {
            "filter_form": filterset.bar,
            "totals": selectors.practical_matter_totals(matters),
            "page_obj": paginate(request, matters),
            "search_placeholder": _("Organization name, pinyin or initials"),
        },
    )


@permission_required("fieldwork.view_practicalmatter", PracticalMatter)
def practical_matter_detail(request, pk: int):
    matter = get_object_or_404(selectors.practical_matter_detail(request.user), pk=pk)
    can_edit = selectors.practical_matters_editable_by(request.user).filter(pk=matter.pk).exists()
    return render(
        request,
        "fieldwork/records/practical_matter_detail.html",
        {"matter": matter, "can_edit": can_edit},
    )


@permission_required("fieldwork.add_practicalmatter")
def practical_matter_create(request):
    places = selectors.recording_places(request.user)
    form = PracticalMatterForm(request.POST or None, request.FILES or None, places=places)
    matter = _save(
        request,
        form,
        lambda: records_services.create_practical_matter(
            actor=request.user,
            photos=form.cleaned_data["photos"],
            **form.place(),
            **form.matter_fields(),
        ),
        PLACE_ALIASES,
    )
    if matter is not None:
        messages.success(request, _("The practical matter was saved."))
        return redirect("fieldwork:practical_matter_detail", pk=matter.pk)
    return render(
        request,
        "fieldwork/records/practical_matter_form.html",
        {"form": form, "has_places": bool(places)},
    )


@permission_required("fieldwork.change_practicalmatter", PracticalMatter)
def practical_matter_edit(request, pk: int):
    matter = get_object_or_404(selectors.practical_matters_editable_by(request.user), pk=pk)
    form = PracticalMatterEditForm(
        request.POST or None,
        request.FILES or None,
        initial={name: getattr(matter, name) for name in records_services.MATTER_FIELDS},
    )
    saved = _save(
        request,
        form,
        lambda: records_services.update_practical_matter(
            actor=request.user,
            matter=matter,
            photos=form.cleaned_data["photos"],
            **form.matter_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, _("The practical matter was saved."))
        return redirect("fieldwork:practical_matter_detail", pk=matter.pk)
    return render(
        request,
        "fieldwork/records/practical_matter_form.html",
        {"form": form, "matter": matter, "has_places": True},
    )


@permission_required("fieldwork.view_practicalmatter", PracticalMatter)
def practical_matter_photo(request, pk: int, photo_pk: int):
    matter = get_object_or_404(selectors.practical_matters_visible_to(request.user), pk=pk)
    photo = get_object_or_404(matter.photos, pk=photo_pk)
    return _serve_file(photo.image, download_name=f"photo-{photo.pk}.jpg", inline=True)
