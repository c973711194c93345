"""On-site pages: the instructor's check-in and check-out, the day list and detail for every
role, and the union officer's confirmations with its face-to-face code."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.accounts.scope import scope_of
from zhidao.core.pagination import keyset_page, paginate
from zhidao.core.permissions import permission_required
from zhidao.dispatch.forms import add_service_error
from zhidao.dispatch.models import AssignmentStatus
from zhidao.fieldwork import feedback
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.fieldwork.onsite import services as onsite_services
from zhidao.fieldwork.onsite.filters import OnSiteDayFilterSet
from zhidao.fieldwork.onsite.forms import (
    CheckInForm,
    CheckOutForm,
    CodeForm,
    DisputeForm,
)
from zhidao.orgs.models import Union

from . import selectors

# The shared check-in service names the assignment, organization or date; the page has one
# "place" choice standing for all three.
_PLACE_ERRORS = {"assignment": "place", "organization": "place", "on_date": "place"}


def _add_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {_PLACE_ERRORS.get(field, field): errors for field, errors in error.error_dict.items()}
        )
    add_service_error(form, error)


# ----- the instructor -----


@permission_required("fieldwork.add_onsiteday")
def check_in(request):
    places = selectors.check_in_places(request.user)
    initial = {}
    if len(places) == 1:
        initial["place"] = places[0].value
    else:
        last = selectors.last_check_in_place(request.user)
        if last in {place.value for place in places}:
            initial["place"] = last
    form = CheckInForm(request.POST or None, request.FILES or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        place = form.chosen_place()
        try:
            stored = onsite_services.check_in_on_site(
                actor=request.user,
                client_uuid=form.cleaned_data["client_uuid"],
                assignment_id=place.assignment_id,
                organization_id=place.organization_id,
                summary=form.cleaned_data["summary"],
                photos=form.cleaned_data["photos"],
                code=form.cleaned_data["code"],
                **form.location(),
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            day = stored.record
            feedback.tell(request, feedback.check_in_notes(day, created=stored.created))
            return redirect("fieldwork:on_site_day_detail", pk=day.pk)
    today = timezone.localdate()
    follow_ups = selectors.follow_ups(
        request.user,
        organization_ids=[place.organization_id for place in places],
        # A day already checked in today is this visit, not the previous one.
        before=timezone.make_aware(datetime.combine(today, time.min)),
        today=today,
    )
    return render(
        request,
        "fieldwork/onsite/check_in.html",
        {
            "form": form,
            "places": places,
            "place_follow_ups": [(place, follow_ups[place.organization_id]) for place in places],
            "today_days": selectors.todays_days(request.user, today),
        },
    )


def _detail_page(request, day, *, check_out_form=None, code_form=None, dispute_form=None):
    scope = scope_of(request.user)
    is_owner = day.instructor_id == scope.instructor_id
    is_officer = day.organization.union_id in scope.union_ids
    editable = is_owner and day.status == OnSiteDayStatus.UNCONFIRMED
    if is_owner and check_out_form is None:
        check_out_form = CheckOutForm(
            initial={"client_uuid": day.client_uuid, "summary": day.summary}
        )
    awaiting = day.status == OnSiteDayStatus.UNCONFIRMED
    today = timezone.localdate()
    # During the visit (its day, its instructor): what to follow up from the previous one.
    follow_up = None
    if is_owner and day.on_date == today:
        follow_up = selectors.follow_ups(
            request.user,
            organization_ids=[day.organization_id],
            before=day.checked_in_at,
            today=today,
        )[day.organization_id]
    return render(
        request,
        "fieldwork/onsite/day_detail.html",
        {
            "day": day,
            "photos": list(day.photos.all()),
            "records": list(selectors.day_work_records(request.user, day)),
            "follow_up": follow_up,
            "can_record": is_owner and day.assignment.status == AssignmentStatus.ACTIVE,
            "is_owner": is_owner,
            "editable": editable,
            "check_out_form": check_out_form if is_owner else None,
            "code_form": (code_form or CodeForm()) if editable else None,
            "can_answer": is_officer and awaiting,
            "dispute_form": dispute_form or DisputeForm(),
        },
    )


@permission_required("fieldwork.view_onsiteday", OnSiteDay)
def on_site_day_detail(request, pk: int):
    day = get_object_or_404(selectors.on_site_day_detail(request.user), pk=pk)
    return _detail_page(request, day)


@require_POST
@permission_required("fieldwork.change_onsiteday", OnSiteDay)
def on_site_day_check_out(request, pk: int):
    day = get_object_or_404(selectors.on_site_day_detail(request.user), pk=pk)
    form = CheckOutForm(request.POST, request.FILES)
    if form.is_valid():
        first_time = day.checked_out_at is None
        try:
            day = onsite_services.check_out_on_site(
                actor=request.user,
                day=day,
                summary=form.cleaned_data["summary"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            feedback.tell(request, feedback.check_out_notes(day, first_time=first_time))
            return redirect("fieldwork:on_site_day_detail", pk=day.pk)
    return _detail_page(request, day, check_out_form=form)


@require_POST
@permission_required("fieldwork.change_onsiteday", OnSiteDay)
def on_site_day_confirm_code(request, pk: int):
    day = get_object_or_404(selectors.on_site_day_detail(request.user), pk=pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            onsite_services.confirm_with_code(
                actor=request.user, day=day, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The day is confirmed with the officer's code."))
            return redirect("fieldwork:on_site_day_detail", pk=day.pk)
    return _detail_page(request, day, code_form=form)


@permission_required("fieldwork.view_onsiteday", OnSiteDay)
def day_photo(request, pk: int, photo_pk: int):
    """Uploads live outside the web root; only who may see the day may load its photos."""
    photo = get_object_or_404(
        selectors.on_site_day_photos_visible_to(request.user), pk=photo_pk, day_id=pk
    )
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ----- every role -----


@permission_required("fieldwork.view_onsiteday")
def on_site_day_list(request):
    filterset = OnSiteDayFilterSet(
        request.GET, queryset=selectors.on_site_day_list(request.user), request=request
    )
    page_obj = keyset_page(request, filterset.qs)
    selectors.count_photos(page_obj.rows)
    return render(
        request,
        "fieldwork/onsite/day_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": page_obj,
            "search_placeholder": _("Organization name, pinyin or initials"),
        },
    )


# ----- the union officer -----


def _confirmations_page(request, *, dispute_day_id=None, dispute_form=None, status=200):
    unions = list(selectors.officer_unions(request.user))
    codes = [(union, onsite_services.current_code(union)) for union in unions]
    return render(
        request,
        "fieldwork/onsite/officer_confirmations.html",
        {
            "codes": codes,
            "page_obj": paginate(request, selectors.days_awaiting_confirmation(request.user)),
            "dispute_day_id": dispute_day_id,
            "dispute_form": dispute_form,
        },
        status=status,
    )


@permission_required("fieldwork.confirm_onsiteday")
def officer_confirmations(request):
    return _confirmations_page(request)


@require_POST
@permission_required("fieldwork.issue_code_union", Union, lookup="union_pk")
def officer_issue_code(request, union_pk: int):
    union = get_object_or_404(selectors.officer_unions(request.user), pk=union_pk)
    onsite_services.issue_confirmation_code(officer=request.user, union=union)
    messages.success(request, _("A new code was generated. Show it to the instructor."))
    return redirect("fieldwork:officer_confirmations")


def _officer_day(request, pk: int):
    return get_object_or_404(
        selectors.on_site_day_detail(request.user).filter(
            organization__union_id__in=scope_of(request.user).union_ids
        ),
        pk=pk,
    )


def _back(request, day):
    if request.POST.get("next") == "detail":
        return redirect("fieldwork:on_site_day_detail", pk=day.pk)
    return redirect("fieldwork:officer_confirmations")


@require_POST
@permission_required("fieldwork.confirm_onsiteday", OnSiteDay)
def on_site_day_confirm(request, pk: int):
    day = _officer_day(request, pk)
    try:
        onsite_services.confirm_day(actor=request.user, day=day)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Confirmed the day of %(name)s at %(organization)s.")
            % {"name": day.instructor.name, "organization": day.organization.name},
        )
    return _back(request, day)


@require_POST
@permission_required("fieldwork.confirm_onsiteday", OnSiteDay)
def on_site_day_dispute(request, pk: int):
    day = _officer_day(request, pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            onsite_services.dispute_day(
                actor=request.user, day=day, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if "reason" in getattr(error, "error_dict", {}):
                add_service_error(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return _back(request, day)
        else:
            messages.success(request, _("The day is marked as disputed."))
            return _back(request, day)
    if request.POST.get("next") == "detail":
        return _detail_page(request, day, dispute_form=form)
    return _confirmations_page(request, dispute_day_id=day.pk, dispute_form=form)
