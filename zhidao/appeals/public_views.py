"""Public (no-login) appeal pages under /v/, the staff poster pages and staff intake."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.audit.services import client_ip
from zhidao.core.permissions import permission_required, public
from zhidao.orgs.models import Organization

from .models import AppealChannel, AppealState, normalize_ticket_code
from .posters import PosterContent, poster_pdf, poster_png
from .public_forms import AppealForm, RatingForm, ReplyForm, StaffAppealForm, TicketLookupForm
from .public_selectors import (
    active_poster,
    appeal_for_ticket,
    current_instructor,
    organizations_for_posters,
    organizations_whose_poster_rotates_for,
    retired_poster,
    union_officer_contact,
)
from .public_services import (
    add_submitter_message,
    current_poster_token,
    rate_appeal,
    rotate_poster_token,
    submit_appeal,
)
from .throttles import lookup_over_limit, submission_over_limit

HOTLINE = "12351"


def _too_many(request, template: str, context: dict) -> HttpResponse:
    context["rate_limited"] = True
    return render(request, template, context, status=429)


@public
def appeal_page(request, token: str):
    poster = active_poster(token)
    if poster is None:
        old = retired_poster(token)
        if old is None:
            raise Http404
        return render(
            request,
            "appeals/public/retired.html",
            {"organization": old.organization, "hotline": HOTLINE},
            status=410,
        )
    organization = poster.organization
    context = {
        "organization": organization,
        "instructor": current_instructor(organization),
        "hotline": HOTLINE,
    }
    if request.method == "POST":
        if submission_over_limit(request, poster.token):
            # Keep the typed text; files cannot be kept.
            context["form"] = AppealForm(request.POST)
            return _too_many(request, "appeals/public/appeal_form.html", context)
        form = AppealForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                appeal = submit_appeal(
                    organization=organization,
                    poster=poster,
                    ip=client_ip(request),
                    **form.submission(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("appeals_public:ticket", args=[appeal.code])
                return redirect(f"{url}?new=1")
    else:
        context["form"] = AppealForm()
    return render(request, "appeals/public/appeal_form.html", context)


def _not_found(request) -> HttpResponse:
    # One answer for a malformed code and an unknown one: nothing to learn from the difference.
    return render(
        request,
        "appeals/public/not_found.html",
        {"form": TicketLookupForm(), "not_found": True},
        status=404,
    )


@public
def ticket_lookup(request):
    form = TicketLookupForm(request.GET or None)
    if form.is_bound:
        if lookup_over_limit(request):
            return _too_many(request, "appeals/public/lookup.html", {"form": form})
        code = normalize_ticket_code(form.data.get("code", ""))
        if code and appeal_for_ticket(code) is not None:
            return redirect("appeals_public:ticket", code)
        return _not_found(request)
    return render(request, "appeals/public/lookup.html", {"form": form})


@public
def ticket_detail(request, code: str):
    if lookup_over_limit(request):
        return _too_many(request, "appeals/public/lookup.html", {"form": TicketLookupForm()})
    canonical = normalize_ticket_code(code)
    appeal = appeal_for_ticket(canonical) if canonical else None
    if appeal is None:
        return _not_found(request)
    if canonical != code:
        return redirect("appeals_public:ticket", canonical)
    reply_form = ReplyForm()
    rating_form = RatingForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rate":
                rating_form = RatingForm(request.POST)
                if rating_form.is_valid():
                    rate_appeal(
                        appeal=appeal,
                        satisfaction=rating_form.cleaned_data["satisfaction"],
                        comment=rating_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Thank you for your rating."))
                    return redirect("appeals_public:ticket", appeal.code)
            else:
                reply_form = ReplyForm(request.POST)
                if reply_form.is_valid():
                    add_submitter_message(appeal=appeal, text=reply_form.cleaned_data["text"])
                    messages.success(request, _("Your message was added."))
                    return redirect("appeals_public:ticket", appeal.code)
        except ValidationError as error:
            target = rating_form if request.POST.get("action") == "rate" else reply_form
            target.add_error(None, error)
    return render(
        request,
        "appeals/public/ticket.html",
        {
            "appeal": appeal,
            "is_new": request.GET.get("new") == "1",
            "reply_form": reply_form,
            "rating_form": rating_form,
            "can_reply": appeal.state not in (AppealState.CLOSED, AppealState.REJECTED),
            "can_rate": appeal.state == AppealState.RESOLVED,
        },
    )


# Staff pages: posters and intake from other channels ---------------------------------------


def _poster_content(request, organization) -> PosterContent:
    token = current_poster_token(organization=organization, by=request.user)
    instructor = current_instructor(organization)
    officer = union_officer_contact(organization)
    return PosterContent(
        organization=organization.name,
        url=request.build_absolute_uri(reverse("appeals_public:appeal", args=[token.token])),
        instructor_name=instructor.name if instructor else "",
        instructor_phone=instructor.phone if instructor else "",
        officer_name=officer.name if officer else "",
        officer_phone=officer.phone if officer else "",
        hotline=HOTLINE,
    )


@permission_required("appeals.view_postertoken", Organization, lookup="organization_id")
def poster_page(request, organization_id: int):
    organization = get_object_or_404(organizations_for_posters(request.user), pk=organization_id)
    token = current_poster_token(organization=organization, by=request.user)
    can_rotate = (
        organizations_whose_poster_rotates_for(request.user).filter(pk=organization.pk).exists()
    )
    return render(
        request,
        "appeals/public/poster_page.html",
        {
            "organization": organization,
            "public_url": request.build_absolute_uri(
                reverse("appeals_public:appeal", args=[token.token])
            ),
            "token": token,
            "can_rotate": can_rotate,
        },
    )


@permission_required("appeals.view_postertoken", Organization, lookup="organization_id")
def poster_file(request, organization_id: int, kind: str):
    if kind not in ("pdf", "png"):
        raise Http404
    organization = get_object_or_404(organizations_for_posters(request.user), pk=organization_id)
    content = _poster_content(request, organization)
    if kind == "pdf":
        response = HttpResponse(poster_pdf(content), content_type="application/pdf")
    else:
        response = HttpResponse(poster_png(content), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="poster-{organization.pk}.{kind}"'
    return response


@require_POST
@permission_required("appeals.change_postertoken", Organization, lookup="organization_id")
def poster_rotate(request, organization_id: int):
    organization = get_object_or_404(
        organizations_whose_poster_rotates_for(request.user), pk=organization_id
    )
    rotate_poster_token(organization=organization, by=request.user)
    messages.success(
        request, _("A new QR code was issued. Print the new poster; the old one no longer works.")
    )
    return redirect("appeals_public:poster", organization.pk)


@permission_required("appeals.add_appeal")
def staff_new_appeal(request):
    organizations = organizations_for_posters(request.user)
    form = StaffAppealForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = submit_appeal(
                organization=data["organization"],
                channel=data["channel"],
                by=request.user,
                **form.submission(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Appeal %(code)s was entered. Give the person this ticket code.")
                % {"code": appeal.code},
            )
            return redirect("appeals:appeal_new")
    return render(
        request,
        "appeals/public/staff_new.html",
        {"form": form, "channels": AppealChannel},
    )
