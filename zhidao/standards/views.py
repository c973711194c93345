"""Pages of indicator sets, assessments, honours and activities.

Each page declares its permission (standards/rules.py): another scope's row is a 404, a role that
sees it but may not act (assess a union, record an honour) gets a 403. Reads go through the
scoped selectors.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.accounts.scope import scope_of
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.fieldwork.records.forms import add_service_error
from zhidao.orgs.models import Union
from zhidao.orgs.selectors import unions_administered_by

from . import scoring, selectors, services
from .filters import ActivityFilterSet, AssessmentFilterSet, HonourFilterSet
from .forms import (
    ActivityForm,
    AssessmentForm,
    HonourForm,
    HonourTitleForm,
    IndicatorSetVersionForm,
)
from .models import (
    Activity,
    ActivityPhoto,
    Assessment,
    AssessmentEvidence,
    HonourTitle,
    IndicatorSet,
    RuleKind,
)


def _serve(field_file, *, download_name: str, inline: bool) -> FileResponse:
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=download_name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _save(request, form, save):
    """Validate a submitted form and save it through a service; None when the page shows again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_error(form, error)
        return None


def radar_data(assessments) -> dict:
    """ECharts radar input: the categories of the newest assessment, with the newest and (if
    there is one) the first assessment of the same set for comparison."""
    if not assessments:
        return {}
    newest = assessments[-1]
    categories = [row["category"] for row in newest.category_scores]
    series = []
    same_set = [a for a in assessments if a.indicator_set_id == newest.indicator_set_id]
    first = same_set[0]
    for assessment in [first, newest] if first.pk != newest.pk else [newest]:
        series.append(
            {
                "name": f"{assessment.get_kind_display()} {assessment.assessed_on:%Y-%m-%d}",
                "value": [float(row["percent"]) for row in assessment.category_scores],
            }
        )
    return {
        "indicators": [{"name": name, "max": 100} for name in categories],
        "series": series,
        "history": {
            "dates": [f"{a.assessed_on:%Y-%m-%d}" for a in assessments],
            "scores": [float(a.total_score) for a in assessments],
        },
    }


# ----- indicator sets -----


@permission_required("standards.view_indicatorset")
def indicator_set_list(request):
    return render(
        request,
        "standards/indicator_set_list.html",
        {
            "page_obj": paginate(request, selectors.indicator_set_list(request.user)),
            "editable_ids": set(
                selectors.indicator_sets_editable_by(request.user)
                .filter(is_current=True)
                .values_list("pk", flat=True)
            ),
        },
    )


@permission_required("standards.view_indicatorset", IndicatorSet)
def indicator_set_detail(request, pk: int):
    indicator_set = get_object_or_404(
        selectors.indicator_sets_visible_to(request.user).select_related("federation"), pk=pk
    )
    return render(
        request,
        "standards/indicator_set_detail.html",
        {
            "indicator_set": indicator_set,
            "indicators": selectors.indicators_of(indicator_set),
            "versions": selectors.indicator_sets_visible_to(request.user)
            .filter(lineage=indicator_set.lineage)
            .order_by("-version"),
            "can_edit": indicator_set.is_current
            and selectors.indicator_sets_editable_by(request.user)
            .filter(pk=indicator_set.pk)
            .exists(),
        },
    )


@permission_required("standards.change_indicatorset", IndicatorSet)
def indicator_set_edit(request, pk: int):
    base = get_object_or_404(
        selectors.indicator_sets_editable_by(request.user).filter(is_current=True), pk=pk
    )
    structure = services.indicator_set_structure(base)
    form = IndicatorSetVersionForm(
        request.POST or None, structure=structure, initial={"name": base.name}
    )
    new_set = _save(
        request,
        form,
        lambda: services.create_indicator_set_version(
            actor=request.user,
            base=base,
            name=form.cleaned_data["name"],
            categories=form.categories(),
            notes=form.cleaned_data["notes"],
        ),
    )
    if new_set is not None:
        messages.success(
            request, _("Version %(version)s was created.") % {"version": new_set.version}
        )
        return redirect("standards:indicator_set_detail", pk=new_set.pk)
    return render(
        request, "standards/indicator_set_edit.html", {"form": form, "indicator_set": base}
    )


# ----- assessments -----


@permission_required("standards.view_assessment")
def assessment_list(request):
    filterset = AssessmentFilterSet(
        request.GET, queryset=selectors.assessment_list(request.user), request=request
    )
    scope = scope_of(request.user)
    return render(
        request,
        "standards/assessment_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "can_assess": scope.is_instructor,
            "sees_statistics": scope.is_federation_staff or scope.is_superuser,
        },
    )


@permission_required("standards.add_assessment")
def assessment_choose_union(request):
    unions = selectors.unions_assessable_by(request.user, on=timezone.localdate())
    return render(request, "standards/assessment_choose_union.html", {"unions": unions})


@permission_required("standards.assess_union", Union, lookup="union_pk")
def assessment_create(request, union_pk: int):
    union = get_object_or_404(
        selectors.unions_assessable_by(request.user, on=timezone.localdate()), pk=union_pk
    )
    indicator_set = selectors.current_indicator_set_for(union)
    if indicator_set is None:
        raise Http404
    indicators = selectors.indicators_of(indicator_set)
    form = AssessmentForm(request.POST or None, request.FILES or None, indicators=indicators)
    assessment = _save(
        request,
        form,
        lambda: services.create_assessment(
            actor=request.user,
            union=union,
            kind=form.cleaned_data["kind"],
            assessed_on=form.cleaned_data["assessed_on"],
            answers=form.answers(),
            notes=form.cleaned_data["notes"],
            indicator_set=indicator_set,
        ),
    )
    if assessment is not None:
        messages.success(
            request,
            _("The assessment was saved: %(score)s points.")
            % {"score": scoring.for_display(assessment.total_score)},
        )
        return redirect("standards:assessment_detail", pk=assessment.pk)
    return render(
        request,
        "standards/assessment_form.html",
        {"form": form, "union": union, "indicator_set": indicator_set},
    )


@permission_required("standards.view_assessment", Assessment)
def assessment_detail(request, pk: int):
    assessment = get_object_or_404(selectors.assessment_detail(request.user), pk=pk)
    history = selectors.union_assessment_history(assessment.union)
    upto = [a for a in history if (a.assessed_on, a.pk) <= (assessment.assessed_on, assessment.pk)]
    return render(
        request,
        "standards/assessment_detail.html",
        {
            "assessment": assessment,
            "answers": selectors.answers_of(assessment),
            "is_assessor": assessment.instructor_id == scope_of(request.user).instructor_id,
            "chart": radar_data(upto),
            "yes_no": RuleKind.YES_NO,
        },
    )


@require_POST
@permission_required("standards.change_assessment", Assessment)
def answer_open_finding(request, pk: int):
    assessment = get_object_or_404(selectors.assessment_detail(request.user), pk=pk)
    answer_id = request.POST.get("answer", "")
    answer = assessment.answers.filter(pk=answer_id).first() if answer_id.isdigit() else None
    if answer is None:
        messages.error(request, _("Choose an indicator of this assessment."))
        return redirect("standards:assessment_detail", pk=assessment.pk)
    try:
        services.open_finding_for_answer(actor=request.user, answer=answer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A rectification item was opened."))
    return redirect("standards:assessment_detail", pk=assessment.pk)


@permission_required("standards.view_assessment")
def evidence_file(request, pk: int):
    evidence = get_object_or_404(
        AssessmentEvidence.objects.filter(
            answer__assessment__in=selectors.assessments_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return _serve(evidence.file, download_name=evidence.original_name, inline=evidence.is_image)


# ----- honours -----


def _can_manage_titles(user) -> bool:
    scope = scope_of(user)
    return scope.is_federation_admin or scope.is_superuser


@permission_required("standards.view_honour")
def honour_list(request):
    filterset = HonourFilterSet(
        request.GET, queryset=selectors.honour_list(request.user), request=request
    )
    return render(
        request,
        "standards/honour_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "can_add": _can_manage_titles(request.user),
        },
    )


@permission_required("standards.add_honour")
def honour_create(request):
    unions = unions_administered_by(request.user).order_by("name", "pk")
    form = HonourForm(request.POST or None, unions=unions, initial=request.GET.dict() or None)
    honour = _save(
        request, form, lambda: services.create_honour(actor=request.user, **form.cleaned_data)
    )
    if honour is not None:
        messages.success(request, _("The honour was recorded."))
        return redirect("orgs:union_detail", pk=honour.union_id)
    return render(request, "standards/honour_form.html", {"form": form})


@permission_required("standards.change_honourtitle")
def honour_title_list(request):
    form = HonourTitleForm(request.POST or None)
    title = _save(
        request,
        form,
        lambda: services.save_honour_title(actor=request.user, **form.cleaned_data),
    )
    if title is not None:
        messages.success(request, _("The title was added."))
        return redirect("standards:honour_title_list")
    return render(
        request,
        "standards/honour_title_list.html",
        {"titles": HonourTitle.objects.order_by("position", "name"), "form": form},
    )


@permission_required("standards.change_honourtitle")
def honour_title_edit(request, pk: int):
    title = get_object_or_404(HonourTitle, pk=pk)
    form = HonourTitleForm(
        request.POST or None,
        initial={"name": title.name, "recipient": title.recipient, "is_active": title.is_active},
    )
    saved = _save(
        request,
        form,
        lambda: services.save_honour_title(actor=request.user, title=title, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, _("The title was saved."))
        return redirect("standards:honour_title_list")
    return render(request, "standards/honour_title_form.html", {"form": form, "title": title})


# ----- activities -----


@permission_required("standards.view_activity")
def activity_list(request):
    filterset = ActivityFilterSet(
        request.GET, queryset=selectors.activity_list(request.user), request=request
    )
    return render(
        request,
        "standards/activity_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "can_add": selectors.unions_for_activities(request.user).exists(),
        },
    )


@permission_required("standards.add_activity")
def activity_create(request):
    unions = selectors.unions_for_activities(request.user).order_by("name", "pk")
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        unions=unions,
        initial=request.GET.dict() or None,
    )
    activity = _save(
        request, form, lambda: services.create_activity(actor=request.user, **form.cleaned_data)
    )
    if activity is not None:
        messages.success(request, _("The activity was recorded."))
        return redirect("standards:activity_detail", pk=activity.pk)
    return render(request, "standards/activity_form.html", {"form": form})


@permission_required("standards.view_activity", Activity)
def activity_detail(request, pk: int):
    activity = get_object_or_404(
        selectors.activity_detail(request.user).prefetch_related(Prefetch("photos")), pk=pk
    )
    return render(request, "standards/activity_detail.html", {"activity": activity})


@permission_required("standards.view_activity")
def activity_photo(request, pk: int):
    photo = get_object_or_404(
        ActivityPhoto.objects.filter(
            activity__in=selectors.activities_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return _serve(photo.image, download_name=f"activity-{photo.activity_id}.jpg", inline=True)
