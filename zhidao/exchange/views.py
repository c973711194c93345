"""Pages of exchange events (registration, QR sign-in, attendance), the case library and the
discussion boards. Each page declares its permission (exchange/rules.py): another scope's event
or case is a 404, a role that sees it but may not take part (a leader) gets a 403. Reads through
the scoped selectors, writes through the services."""

import mimetypes

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.exports import attachment_response, file_name
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required

from . import selectors, services
from .exports import attendance_workbook
from .filters import CaseFilterSet, EventFilterSet
from .forms import (
    CaseForm,
    CommentForm,
    EventForm,
    PostForm,
    ReviewForm,
    add_service_error,
)
from .models import Case, CaseStatus, Event


def _object(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _save(request, form, save):
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_error(form, error)
        return None


# ----- events -----


@permission_required("exchange.view_event")
def event_list(request):
    filterset = EventFilterSet(
        request.GET, queryset=selectors.event_list(request.user), request=request
    )
    return render(
        request,
        "exchange/event_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "search_placeholder": _("Title or speaker"),
            "can_create": scope_of(request.user).is_federation_admin,
        },
    )


def _sign_in_url(request, event: Event) -> str:
    return request.build_absolute_uri(reverse("exchange:sign_in", args=[event.sign_in_token]))


@permission_required("exchange.view_event", Event)
def event_detail(request, pk: int):
    try:
        event = selectors.event_detail(request.user, pk)
    except Event.DoesNotExist:
        raise Http404 from None
    is_admin = selectors.events_administered_by(request.user).filter(pk=pk).exists()
    is_audience = selectors.events_open_to(request.user).filter(pk=pk).exists()
    context = {
        "event": event,
        "is_admin": is_admin,
        "is_audience": is_audience,
        "can_register": is_audience and timezone.now() < event.start,
        "posts": selectors.board_posts(event=event),
        "post_form": PostForm(),
        "post_url": reverse("exchange:event_post", args=[event.pk]),
    }
    if is_admin:
        url = _sign_in_url(request, event)
        context["sign_in_url"] = url
        # segno writes a plain <svg> with no script and no style attribute.
        context["qr_svg"] = mark_safe(  # noqa: S308  # nosec B308 B703  # segno's SVG of our own URL, no user markup
            segno.make(url, error="m").svg_inline(scale=5, border=2, svgclass="qr-code")
        )
        context["attendances"] = selectors.attendance_list(event)
    return render(request, "exchange/event_detail.html", context)


@permission_required("exchange.add_event")
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    event = _save(
        request,
        form,
        lambda: services.create_event(actor=request.user, **form.cleaned_data),
    )
    if event:
        messages.success(request, _("The event was created."))
        return redirect("exchange:event_detail", pk=event.pk)
    return render(request, "exchange/event_form.html", {"form": form, "event": None})


@permission_required("exchange.change_event", Event)
def event_edit(request, pk: int):
    event = _object(selectors.events_administered_by(request.user), pk)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    saved = _save(
        request,
        form,
        lambda: services.update_event(event=event, actor=request.user, **form.cleaned_data),
    )
    if saved:
        messages.success(request, _("The event was saved."))
        return redirect("exchange:event_detail", pk=event.pk)
    return render(request, "exchange/event_form.html", {"form": form, "event": event})


@permission_required("exchange.change_event", Event)
def event_qr_png(request, pk: int):
    event = _object(selectors.events_administered_by(request.user), pk)
    response = HttpResponse(content_type="image/png")
    segno.make(_sign_in_url(request, event), error="m").save(
        response, kind="png", scale=10, border=2
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("exchange.attend_event", Event)
def event_register(request, pk: int):
    event = _object(selectors.events_visible_to(request.user), pk)
    try:
        if request.POST.get("cancel"):
            services.cancel_registration(event=event, user=request.user)
            messages.success(request, _("Your registration was cancelled."))
        else:
            services.register(event=event, user=request.user)
            messages.success(request, _("You are registered."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("exchange:event_detail", pk=event.pk)


@permission_required("exchange.attend_event")
def sign_in(request, token: str):
    """The page the event's QR code opens: signs the logged-in person in, once."""
    try:
        result = services.sign_in(token=token, user=request.user)
    except PermissionDenied as refusal:
        return render(request, "exchange/sign_in.html", {"refusal": str(refusal)}, status=403)
    except ValidationError as refusal:
        refusal_text = " ".join(refusal.messages)
        return render(request, "exchange/sign_in.html", {"refusal": refusal_text}, status=400)
    event = result.attendance.event
    return render(
        request,
        "exchange/sign_in.html",
        {"event": event, "attendance": result.attendance, "created": result.created},
    )


@permission_required("exchange.change_event", Event)
def attendance_export(request, pk: int):
    event = _object(selectors.events_administered_by(request.user), pk)
    content = attendance_workbook(event, selectors.attendance_list(event))
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"exchange attendance .xlsx event {event.pk}",
    )
    name = file_name(_("Attendance"), event.title, f"{event.held_on:%Y%m%d}", extension="xlsx")
    return attachment_response(content, name, fallback=f"attendance-{event.pk}.xlsx")


@require_POST
@permission_required("exchange.post_event", Event)
def event_post(request, pk: int):
    event = _object(selectors.events_visible_to(request.user), pk)
    return _post_to_board(
        request, redirect_to=reverse("exchange:event_detail", args=[pk]), event=event
    )


def _post_to_board(request, *, redirect_to: str, **target):
    form = PostForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = selectors.board_posts(**target).filter(pk=form.cleaned_data["parent"]).first()
            if parent is None:
                raise Http404
        try:
            services.add_post(
                author=request.user,
                text=form.cleaned_data["text"],
                parent=parent,
                **({} if parent else target),
            )
            messages.success(request, _("Your post was published."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write something before posting."))
    return redirect(f"{redirect_to}#board")


# ----- cases -----


@permission_required("exchange.view_case")
def case_list(request):
    filterset = CaseFilterSet(
        request.GET, queryset=selectors.case_list(request.user), request=request
    )
    return render(
        request,
        "exchange/case_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "search_placeholder": _("Words in the title, tags or text, e.g. 食堂"),
            "can_create": scope_of(request.user).is_instructor,
        },
    )


@permission_required("exchange.view_case", Case)
def case_detail(request, pk: int):
    try:
        case = selectors.case_detail(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    is_published = case.status == CaseStatus.PUBLISHED
    context = {
        "case": case,
        "can_edit": case.author_id == request.user.pk
        and case.status in (CaseStatus.DRAFT, CaseStatus.RETURNED),
        "can_review": case.status == CaseStatus.SUBMITTED
        and selectors.cases_reviewable_by(request.user).filter(pk=pk).exists(),
        "is_published": is_published,
        "review_form": ReviewForm(),
        "comment_form": CommentForm(),
        "posts": selectors.board_posts(case=case) if is_published else [],
        "post_form": PostForm(),
        "post_url": reverse("exchange:case_post", args=[case.pk]),
    }
    return render(request, "exchange/case_detail.html", context)


@permission_required("exchange.add_case")
def case_create(request):
    form = CaseForm(request.POST or None, request.FILES or None, user=request.user)
    case = _save(
        request,
        form,
        lambda: services.create_case(actor=request.user, **form.cleaned_data),
    )
    if case:
        messages.success(request, _("The case was saved as a draft."))
        return redirect("exchange:case_detail", pk=case.pk)
    return render(request, "exchange/case_form.html", {"form": form, "case": None})


@permission_required("exchange.change_case", Case)
def case_edit(request, pk: int):
    case = _object(selectors.cases_editable_by(request.user), pk)
    form = CaseForm(request.POST or None, request.FILES or None, instance=case, user=request.user)
    saved = _save(
        request,
        form,
        lambda: services.update_case(case=case, actor=request.user, **form.cleaned_data),
    )
    if saved:
        messages.success(request, _("The case was saved."))
        return redirect("exchange:case_detail", pk=case.pk)
    return render(request, "exchange/case_form.html", {"form": form, "case": case})


def _case_action(request, pk, action, success):
    case = _object(selectors.cases_visible_to(request.user), pk)
    try:
        action(case)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("exchange:case_detail", pk=case.pk)


@require_POST
@permission_required("exchange.submit_case", Case)
def case_submit(request, pk: int):
    return _case_action(
        request,
        pk,
        lambda case: services.submit_case(case=case, actor=request.user),
        _("The case was submitted for review."),
    )


@require_POST
@permission_required("exchange.review_case", Case)
def case_review(request, pk: int):
    comment = request.POST.get("comment", "")
    if request.POST.get("decision") == "publish":
        return _case_action(
            request,
            pk,
            lambda case: services.publish_case(case=case, actor=request.user, comment=comment),
            _("The case is published."),
        )
    return _case_action(
        request,
        pk,
        lambda case: services.return_case(case=case, actor=request.user, comment=comment),
        _("The case was returned to its author."),
    )


@require_POST
@permission_required("exchange.comment_case", Case)
def case_comment(request, pk: int):
    text = request.POST.get("text", "")
    return _case_action(
        request,
        pk,
        lambda case: services.add_comment(case=case, author=request.user, text=text),
        _("Your comment was published."),
    )


@require_POST
@permission_required("exchange.mark_useful_case", Case)
def case_useful(request, pk: int):
    return _case_action(
        request,
        pk,
        lambda case: services.mark_useful(case=case, user=request.user),
        _("Thank you: marked as useful."),
    )


@require_POST
@permission_required("exchange.post_case", Case)
def case_post(request, pk: int):
    case = _object(selectors.cases_visible_to(request.user).filter(status=CaseStatus.PUBLISHED), pk)
    return _post_to_board(
        request, redirect_to=reverse("exchange:case_detail", args=[pk]), case=case
    )


def _serve(field_file, *, name: str, inline: bool) -> FileResponse:
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"), as_attachment=not inline, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission_required("exchange.view_case", Case)
def case_image(request, pk: int, image_pk: int):
    case = _object(selectors.cases_visible_to(request.user), pk)
    image = get_object_or_404(case.images, pk=image_pk)
    return _serve(image.image, name=f"case-{case.pk}-{image.pk}.jpg", inline=True)


@permission_required("exchange.view_case", Case)
def case_attachment(request, pk: int, attachment_pk: int):
    case = _object(selectors.cases_visible_to(request.user), pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    return _serve(attachment.file, name=attachment.original_name, inline=False)
