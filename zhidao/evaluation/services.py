"""Writes of term-end evaluations: officer ratings, the admin's grade, finalization."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import use_case
from zhidao.dispatch.models import Assignment
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify, notify_on_commit

from .models import Evaluation, EvaluationGrade, EvaluationRating, EvaluationStatus
from .selectors import ENDED, compute_metrics, officer_union_for


def _evaluation(assignment: Assignment) -> Evaluation:
    evaluation, _created = Evaluation.objects.select_for_update().get_or_create(
        assignment=assignment
    )
    return evaluation


def _require_open(evaluation: Evaluation) -> None:
    if evaluation.status == EvaluationStatus.FINALIZED:
        raise ValidationError(_("This evaluation has been finalized and can no longer change."))


def _require_ended(assignment: Assignment) -> None:
    if assignment.status not in ENDED:
        raise ValidationError(_("The assignment has not ended yet; its evaluation is a preview."))


def _require_admin(actor, assignment: Assignment) -> None:
    scope = scope_of(actor)
    if not (scope.is_superuser or scope.can_administer_path(assignment.batch.federation.path)):
        raise PermissionDenied


@use_case
def rate_instructor(
    *, actor, assignment: Assignment, satisfaction: int, comments: str = ""
) -> EvaluationRating:
    """A union officer of one of the assignment's unions rates once."""
    union_id = officer_union_for(actor, assignment)
    if union_id is None:
        raise PermissionDenied
    _require_ended(assignment)
    evaluation = _evaluation(assignment)
    _require_open(evaluation)
    if evaluation.ratings.filter(officer=actor).exists():
        raise ValidationError(_("You have already rated this instructor."))
    rating = EvaluationRating(
        evaluation=evaluation,
        officer=actor,
        union_id=union_id,
        satisfaction=satisfaction,
        comments=(comments or "").strip(),
    )
    if satisfaction is None or not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": _("Choose a satisfaction from 1 to 5.")})
    rating.full_clean(exclude=["evaluation", "officer", "union"])
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as error:
        raise ValidationError(_("You have already rated this instructor.")) from error
    _notify_rating(assignment, rating)
    return rating


def _notify_rating(assignment: Assignment, rating: EvaluationRating) -> None:
    """The instructor learns that a union rated the term (not who, nor the score: the ratings
    are read on the evaluation page), after the commit, once per rating."""

    def send() -> None:
        facts = {"batch": assignment.batch.name}
        notify(
            assignment.instructor.user,
            kind=NotificationKind.RATING_RECEIVED,
            cause_key=f"rating-received:{rating.pk}",
            title=_("A union rated your term %(batch)s") % facts,
            body=_("A union officer rated your work of the term %(batch)s.") % facts,
            link=reverse("evaluation:evaluation_detail", args=[assignment.pk]),
        )

    notify_on_commit(send)


@use_case
def grade_instructor(
    *, actor, assignment: Assignment, grade: str, comments: str = ""
) -> Evaluation:
    """The federation admin of the assignment's subtree grades the instructor."""
    _require_admin(actor, assignment)
    _require_ended(assignment)
    if grade not in EvaluationGrade.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    evaluation = _evaluation(assignment)
    _require_open(evaluation)
    evaluation.grade = grade
    evaluation.grade_comments = (comments or "").strip()
    evaluation.graded_by = actor
    evaluation.graded_at = timezone.now()
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@use_case
def finalize_evaluation(*, actor, assignment: Assignment, today: date) -> Evaluation:
    """Freeze the metrics as they are now, with who finalized and when."""
    _require_admin(actor, assignment)
    _require_ended(assignment)
    evaluation = _evaluation(assignment)
    _require_open(evaluation)
    if not evaluation.grade:
        raise ValidationError({"grade": _("Grade the instructor before finalizing.")})
    evaluation.metrics = compute_metrics(assignment, today=today)
    evaluation.status = EvaluationStatus.FINALIZED
    evaluation.finalized_by = actor
    evaluation.finalized_at = timezone.now()
    evaluation.full_clean()
    evaluation.save()
    return evaluation
