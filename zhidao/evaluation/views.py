"""Pages of term-end evaluations (考核): list, detail with the forms of each role, .docx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.exports import attachment_response
from zhidao.core.forms import add_service_error
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.dispatch.models import Assignment

from . import selectors, services
from .exports import evaluation_docx, evaluation_filename, metric_rows
from .filters import EvaluationFilterSet
from .forms import GradeForm, RatingForm


@permission_required("evaluation.view_evaluation")
def evaluation_list(request):
    filterset = EvaluationFilterSet(
        request.GET, queryset=selectors.evaluation_list(request.user), request=request
    )
    return render(
        request,
        "evaluation/list.html",
        {"filter_form": filterset.bar, "page_obj": paginate(request, filterset.qs)},
    )


def _detail_context(request, assignment, *, rating_form=None, grade_form=None) -> dict:
    user = request.user
    scope = scope_of(user)
    evaluation = selectors.evaluation_of(user, assignment)
    today = timezone.localdate()
    metrics = selectors.metrics_for(assignment, evaluation, today=today)
    ratings = selectors.ratings_of(user, evaluation)
    is_open = evaluation is None or evaluation.status == "open"
    ended = assignment.status in selectors.ENDED
    can_rate = (
        ended
        and is_open
        and selectors.officer_union_for(user, assignment) is not None
        and not any(rating.officer_id == user.pk for rating in ratings)
    )
    can_grade = (
        ended
        and is_open
        and (scope.is_superuser or scope.can_administer_path(assignment.batch.federation.path))
    )
    if can_grade and grade_form is None:
        initial = (
            {"grade": evaluation.grade, "comments": evaluation.grade_comments}
            if (evaluation is not None)
            else {}
        )
        grade_form = GradeForm(initial=initial)
    return {
        "assignment": assignment,
        "evaluation": evaluation,
        "metrics": metrics,
        "metric_rows": metric_rows(metrics),
        "ratings": ratings,
        "shows_grade": selectors.sees_grade(user, evaluation),
        "is_preview": not ended,
        "rating_form": (rating_form or RatingForm()) if can_rate else None,
        "grade_form": grade_form if can_grade else None,
        "can_finalize": can_grade and evaluation is not None and bool(evaluation.grade),
    }


def _assignment(request, pk: int):
    return get_object_or_404(selectors.evaluation_assignment(request.user), pk=pk)


@permission_required("evaluation.view_evaluation", Assignment)
def evaluation_detail(request, pk: int):
    assignment = _assignment(request, pk)
    return render(request, "evaluation/detail.html", _detail_context(request, assignment))


@require_POST
@permission_required("evaluation.rate_evaluation", Assignment)
def evaluation_rate(request, pk: int):
    assignment = _assignment(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_instructor(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: your rating has been recorded."))
            return redirect("evaluation:evaluation_detail", pk=assignment.pk)
    context = _detail_context(request, assignment, rating_form=form)
    context["rating_form"] = form
    return render(request, "evaluation/detail.html", context, status=400)


def _administered(request, pk: int):
    return get_object_or_404(
        selectors.evaluation_assignment_administered_by(request.user).select_related(
            "batch__federation"
        ),
        pk=pk,
    )


@require_POST
@permission_required("evaluation.grade_evaluation", Assignment)
def evaluation_grade(request, pk: int):
    assignment = _administered(request, pk)
    assignment = _assignment(request, assignment.pk)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.grade_instructor(
                actor=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The grade has been saved."))
            return redirect("evaluation:evaluation_detail", pk=assignment.pk)
    context = _detail_context(request, assignment, grade_form=form)
    return render(request, "evaluation/detail.html", context, status=400)


@require_POST
@permission_required("evaluation.finalize_evaluation", Assignment)
def evaluation_finalize(request, pk: int):
    assignment = _administered(request, pk)
    try:
        services.finalize_evaluation(
            actor=request.user, assignment=assignment, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evaluation has been finalized."))
    return redirect("evaluation:evaluation_detail", pk=assignment.pk)


@permission_required("evaluation.view_evaluation", Assignment)
def evaluation_download(request, pk: int):
    assignment = _assignment(request, pk)
    context = _detail_context(request, assignment)
    content = evaluation_docx(
        assignment=assignment,
        evaluation=context["evaluation"],
        metrics=context["metrics"],
        ratings=context["ratings"],
        shows_grade=context["shows_grade"],
    )
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"evaluation docx assignment={assignment.pk}",
    )
    return attachment_response(
        content,
        evaluation_filename(assignment),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        fallback=f"evaluation-{assignment.pk}.docx",
    )
