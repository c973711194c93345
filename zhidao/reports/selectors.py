"""Scoped reads: instructors see their own reports; federation admins and leaders their subtree."""

from django.db.models import QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.orgs.models import Federation
from zhidao.orgs.selectors import federations_visible_to

from .models import QuarterlyReport

PATH = "assignment__batch__federation__path"


def reports_visible_to(user) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.visible_to(user)


def reports_administered_by(user) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.visible_to(user, CHANGE)


def report_list(user) -> QuerySet[QuarterlyReport]:
    """The report list page's rows (filters.ReportFilterSet narrows them)."""
    return (
        reports_visible_to(user)
        .select_related("assignment__instructor", "assignment__batch__federation")
        .order_by("-year", "-quarter", "assignment__instructor__name", "id")
    )


def report_detail(user, pk: int) -> QuarterlyReport:
    return (
        reports_visible_to(user)
        .select_related("assignment__instructor", "assignment__batch__federation")
        .prefetch_related("transitions__actor", "assignment__organizations")
        .get(pk=pk)
    )


def upward_report_federations(user) -> QuerySet[Federation]:
    """The federations whose upward report the user may produce: admins and leaders, their
    subtree (instructors and union officers none)."""
    scope = scope_of(user)
    if not (scope.is_federation_staff or scope.is_superuser):
        return Federation.objects.none()
    return federations_visible_to(user).order_by("path")
