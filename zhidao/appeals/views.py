"""Staff pages of appeals: the list with filters, the statistics, the detail with
its timeline and the action forms, and the in-app notifications.

Each page declares its permission (appeals/rules.py): an appeal of another scope is a 404, a
step the viewer may not take (a leader, the employer's union officer) a 403. What a viewer sees of
the submitter comes from `selectors.submitter_view`; each view of the contact in clear is written
to the access log.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.pagination import keyset_page
from zhidao.core.permissions import permission_required
from zhidao.fieldwork.records.forms import add_service_error

from . import selectors, services
from .filters import AppealFilterSet
from .models import Appeal, AppealState
from .staff_forms import (
    AcceptForm,
    AnswerForm,
    EscalateForm,
    NoteForm,
    RejectForm,
    ResolveForm,
)


def record_unmasked_view(request, appeal, *, where: str = "page") -> None:
    record_access_event(
        kind=AccessEventKind.UNMASKED_VIEW,
        request=request,
        user=request.user,
        detail=f"appeal {appeal.code} ({where})",
    )


def _filterset(request) -> AppealFilterSet:
    return AppealFilterSet(
        request.GET, queryset=selectors.appeal_list(request.user), request=request
    )


def _filtered(request):
    filterset = _filterset(request)
    return filterset.bar, filterset.qs


@permission_required("appeals.view_appeal")
def appeal_list(request):
    filter_form, appeals = _filtered(request)
    # A province's appeals reach hundreds of thousands: pages by keyset, newest first (the
    # index appeal_created).
    page_obj = keyset_page(request, appeals)
    today = timezone.localdate()
    rows = []
    for appeal in page_obj.object_list:
        view = selectors.submitter_view(request.user, appeal, in_clear=False)
        rows.append(
            {
                "appeal": appeal,
                "submitter": view,
                "overdue": services.missed_deadline(appeal, today=today) > 0,
            }
        )
    return render(
        request,
        "appeals/staff/appeal_list.html",
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "rows": rows,
            "search_placeholder": _("Ticket code or organization name"),
            "unread": selectors.unread_notifications(request.user),
        },
    )


@permission_required("appeals.view_appeal")
def appeal_stats(request):
    filterset = _filterset(request)
    # Unfiltered, and the user's appeals whole federation subtrees: the summary rows hold
    # the totals, categories and months (the same numbers, without reading every appeal).
    form = filterset.form
    unfiltered = form.is_valid() and all(
        value is False or value in EMPTY_VALUES for value in form.cleaned_data.values()
    )
    summary = selectors.summary_rows_for(request.user) if unfiltered else None
    stats = selectors.appeal_stats(filterset.qs, today=timezone.localdate(), summary=summary)
    filter_form = filterset.bar
    return render(
        request,
        "appeals/staff/appeal_stats.html",
        {"filter_form": filter_form, "stats": stats, "category_labels": _category_labels()},
    )


def _category_labels() -> dict[str, str]:
    from .models import AppealCategory

    return {value: str(label) for value, label in AppealCategory.choices}


def _forms_for(user, appeal, data=None) -> dict:
    """The action forms this user may use on the appeal in its current state."""
    forms = {}
    state = appeal.state
    if state == AppealState.RECEIVED and services.can_accept(user, appeal):
        forms["accept_form"] = AcceptForm(data, federation=appeal.federation)
    works = services.can_work(user, appeal)
    if works and state == AppealState.ACCEPTED:
        forms["start_form"] = NoteForm(data)
    if works and state in (AppealState.ACCEPTED, AppealState.IN_PROGRESS):
        forms["answer_form"] = AnswerForm(data)
        forms["resolve_form"] = ResolveForm(data)
    if state in (AppealState.RECEIVED, AppealState.ACCEPTED, AppealState.IN_PROGRESS):
        if works or services.can_accept(user, appeal):
            forms["reject_form"] = RejectForm(data)
        if works:
            forms["escalate_form"] = EscalateForm(data)
    return forms


def _detail_context(request, appeal, **overrides) -> dict:
    view = selectors.submitter_view(request.user, appeal)
    if view.is_full and not appeal.anonymous:
        record_unmasked_view(request, appeal)
    today = timezone.localdate()
    staff_events = selectors.timeline(appeal)
    context = {
        "appeal": appeal,
        "submitter": view,
        "events": staff_events,
        "messages_list": selectors.messages_for(view, appeal),
        "photos": [] if view.access == selectors.REDACTED else list(appeal.photos.all()),
        "missed": services.missed_deadline(appeal, today=today),
        "today": today,
        "deadlines": _deadline_rows(appeal, today),
        **_forms_for(request.user, appeal),
    }
    context.update(overrides)
    return context


def _deadline_rows(appeal, today) -> list[dict]:
    done = {
        "accept": appeal.accepted_at is not None or appeal.state == AppealState.REJECTED,
        "answer": appeal.first_answered_at is not None or not appeal.is_open,
        "resolve": not appeal.is_open,
    }
    return [
        {
            "label": label,
            "due": due,
            "done": done[key],
            "overdue": due is not None and not done[key] and today > due,
        }
        for key, label, due in (
            ("accept", _("Accept by"), appeal.accept_due),
            ("answer", _("First answer by"), appeal.first_answer_due),
            ("resolve", _("Resolve by"), appeal.resolve_due),
        )
    ]


@permission_required("appeals.view_appeal", Appeal)
def appeal_detail(request, pk: int):
    appeal = get_object_or_404(selectors.appeal_detail(request.user), pk=pk)
    return render(request, "appeals/staff/appeal_detail.html", _detail_context(request, appeal))


ACTIONS = {
    "accept": (
        "accept_form",
        lambda appeal, user, data: services.accept_appeal(
            appeal=appeal,
            actor=user,
            instructor=data.get("instructor"),
            department=data.get("department", ""),
            note=data.get("note", ""),
        ),
        gettext_noop("The appeal was accepted."),
    ),
    "start": (
        "start_form",
        lambda appeal, user, data: services.start_work(
            appeal=appeal, actor=user, note=data.get("note", "")
        ),
        gettext_noop("Handling started."),
    ),
    "answer": (
        "answer_form",
        lambda appeal, user, data: services.answer(
            appeal=appeal, actor=user, text=data["text"], note=data.get("note", "")
        ),
        gettext_noop("The reply was sent to the submitter."),
    ),
    "resolve": (
        "resolve_form",
        lambda appeal, user, data: services.resolve_appeal(
            appeal=appeal, actor=user, resolution=data["resolution"], note=data.get("note", "")
        ),
        gettext_noop("The appeal was resolved."),
    ),
    "reject": (
        "reject_form",
        lambda appeal, user, data: services.reject_appeal(
            appeal=appeal,
            actor=user,
            reason=data["reason"],
            referral=data["referral"],
            note=data.get("note", ""),
        ),
        gettext_noop("The appeal was marked as not accepted."),
    ),
    "escalate": (
        "escalate_form",
        lambda appeal, user, data: services.escalate_appeal(
            appeal=appeal, actor=user, note=data["note"]
        ),
        gettext_noop("The appeal was escalated to the rights-protection department."),
    ),
}


def action_permission(kwargs) -> str | None:
    """The permission of a step (`appeals.accept_appeal` …); None for a step that is not one."""
    return f"appeals.{kwargs['action']}_appeal" if kwargs.get("action") in ACTIONS else None


@require_POST
@permission_required(action_permission, Appeal)
def appeal_action(request, pk: int, action: str):
    appeal = get_object_or_404(selectors.appeal_detail(request.user), pk=pk)
    form_name, run, success = ACTIONS[action]
    forms = _forms_for(request.user, appeal, request.POST)
    form = forms.get(form_name)
    if form is None:
        messages.error(request, _("This step is not possible in the appeal's current state."))
        return redirect("appeals:appeal_detail", pk=appeal.pk)
    if form.is_valid():
        try:
            run(appeal, request.user, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _(success))
            return redirect("appeals:appeal_detail", pk=appeal.pk)
    context = _detail_context(request, appeal, **{form_name: form})
    return render(request, "appeals/staff/appeal_detail.html", context, status=400)


@permission_required("appeals.view_appealphoto", Appeal)
def appeal_photo(request, pk: int, photo_pk: int):
    appeal = get_object_or_404(selectors.appeal_detail(request.user), pk=pk)
    photo = get_object_or_404(appeal.photos, pk=photo_pk)
    content_type = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
    response = FileResponse(photo.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission_required("appeals.view_appealnotification")
def notification_list(request):
    notifications = list(selectors.notifications_of(request.user))
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        return redirect("appeals:notification_list")
    return render(request, "appeals/staff/notification_list.html", {"notifications": notifications})
