"""Scoped reads and automatic metrics of term-end evaluations (考核).

An evaluation belongs to an assignment: whoever may see the assignment may see its evaluation
(admins and leaders their subtree, the instructor its own, a union officer its union's). The list
shows assignments that have ended (completed or ended early), with their evaluation if any.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.dispatch.selectors import assignments_administered_by, assignments_visible_to
from zhidao.figures.definitions import rates_of
from zhidao.figures.live import assignment_figures
from zhidao.figures.periods import Period
from zhidao.orgs.models import Organization
from zhidao.reports.models import QuarterlyReport
from zhidao.standards.models import Assessment, AssessmentKind
from zhidao.standards.scoring import for_display

from .models import Evaluation, EvaluationRating

ENDED = (AssignmentStatus.COMPLETED, AssignmentStatus.ENDED_EARLY)
DAYS_PER_MONTH = Decimal("30.4375")


def evaluation_list(user) -> QuerySet[Assignment]:
    """Ended assignments with their evaluations (filters.EvaluationFilterSet narrows them)."""
    return (
        assignments_visible_to(user)
        .filter(status__in=ENDED)
        .select_related("batch", "instructor", "evaluation")
        .annotate(rating_count=Count("evaluation__ratings"))
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.only("pk", "name").order_by("name", "pk"),
            )
        )
        .order_by("-starts_on", "pk")
    )


def evaluation_assignment(user) -> QuerySet[Assignment]:
    """Assignments whose evaluation page the user may open (any status: active is a preview)."""
    return (
        assignments_visible_to(user)
        .select_related("batch__federation", "instructor__federation")
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.select_related("union").order_by("name", "pk"),
            )
        )
    )


def evaluation_assignment_administered_by(user) -> QuerySet[Assignment]:
    return assignments_administered_by(user)


def evaluation_of(user, assignment: Assignment) -> Evaluation | None:
    return Evaluation.objects.visible_to(user).filter(assignment=assignment).first()


def ratings_of(user, evaluation: Evaluation | None) -> list[EvaluationRating]:
    """The ratings the user may read: a union officer its own union's only."""
    if evaluation is None:
        return []
    return list(
        EvaluationRating.objects.visible_to(user)
        .filter(evaluation=evaluation)
        .select_related("officer", "union")
        .order_by("rated_at", "pk")
    )


def sees_grade(user, evaluation: Evaluation | None) -> bool:
    """The grade is for the federation's staff and the instructor, not the union officers."""
    if evaluation is None:
        return False
    return Evaluation.objects.visible_to(user, "grade").filter(pk=evaluation.pk).exists()


def union_ids_of(assignment: Assignment) -> set[int]:
    return set(
        assignment.organization_links.filter(organization__union__isnull=False).values_list(
            "organization__union_id", flat=True
        )
    )


def officer_union_for(user, assignment: Assignment) -> int | None:
    """The union of the assignment for which the user is an officer, if any."""
    mine = set(scope_of(user).union_ids) & union_ids_of(assignment)
    return min(mine) if mine else None


def _term_end(assignment: Assignment, today: date) -> date:
    return min(assignment.ended_on or assignment.ends_on, today)


def _reports(assignment: Assignment, today: date) -> dict:
    """Quarterly reports submitted by their due date / reports due."""
    # The reports of an assignment the caller has in hand.
    reports = QuarterlyReport.objects.unscoped().filter(assignment=assignment, due_on__lte=today)
    values = reports.aggregate(
        due=Count("pk"),
        on_time=Count(
            "pk", filter=Q(submitted_at__isnull=False, submitted_at__date__lte=F("due_on"))
        ),
    )
    return {"available": True, "due": values["due"], "on_time": values["on_time"]}


def _standardization(assignment: Assignment) -> str | None:
    """Σ over the assignment's unions of (latest term-end total − latest baseline total), for
    the unions that have both, added unrounded and rounded once; None when none has."""
    latest: dict[tuple[int, str], Decimal] = {}
    rows = (
        # The assessments under an assignment the caller has in hand.
        Assessment.objects.unscoped()
        .filter(
            assignment=assignment,
            union_id__in=union_ids_of(assignment),
            kind__in=(AssessmentKind.BASELINE, AssessmentKind.TERM_END),
        )
        .order_by("assessed_on", "pk")
        .values_list("union_id", "kind", "total_score")
    )
    for union_id, kind, total in rows:
        latest[(union_id, kind)] = total  # the later one wins
    unions = {union_id for union_id, _kind in latest}
    changes = [
        latest[(u, AssessmentKind.TERM_END)] - latest[(u, AssessmentKind.BASELINE)]
        for u in unions
        if (u, AssessmentKind.BASELINE) in latest and (u, AssessmentKind.TERM_END) in latest
    ]
    return for_display(sum(changes, Decimal("0"))) if changes else None


def compute_metrics(assignment: Assignment, *, today: date) -> dict:
    """The automatic metrics over the assignment's term (up to today for an active one), from
    the figures module: the same counts as its quarterly reports and the dashboard."""
    last = _term_end(assignment, today)
    days = max((last - assignment.starts_on).days + 1, 1)
    months = Decimal(days) / DAYS_PER_MONTH
    if last < assignment.starts_on:
        counts = {}
    else:
        counts = assignment_figures(assignment, Period(assignment.starts_on, last), today=today)
    rates = rates_of(counts)
    records = counts.get("work_records", 0)
    return {
        "computed_on": today.isoformat(),
        "term_from": assignment.starts_on.isoformat(),
        "term_to": last.isoformat(),
        "compliance": {
            "met": counts.get("weeks_met", 0),
            "missed": counts.get("weeks_missed", 0),
            "exempt": counts.get("weeks_exempt", 0),
            "pending": counts.get("weeks_pending", 0),
            "rate": rates["compliance_rate"].percent,
        },
        "reports": _reports(assignment, today),
        "on_site_days": counts.get("on_site_days", 0),
        "work_records": records,
        "prompt_records": counts.get("prompt_records", 0),
        "work_records_per_month": str(
            (Decimal(records) / months).quantize(Decimal("0.1")) if months else 0
        ),
        "findings_opened": counts.get("findings_opened", 0),
        "findings_closed": counts.get("findings_opened_closed", 0),
        "matters_done": counts.get("matters_done", 0),
        "beneficiaries_workers": counts.get("beneficiaries_workers", 0),
        "beneficiaries_enterprises": counts.get("beneficiaries_enterprises", 0),
        "standardization_change": _standardization(assignment),
    }


def metrics_for(assignment: Assignment, evaluation: Evaluation | None, *, today: date) -> dict:
    """Frozen metrics of a finalized evaluation, else computed now."""
    if evaluation is not None and evaluation.status == "finalized" and evaluation.metrics:
        return evaluation.metrics
    return compute_metrics(assignment, today=today)
