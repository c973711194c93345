"""Quarterly reports on the workbench (zhidao/core/workbench.py): the instructor's reports due
soon or overdue and those returned for revision; the federation admin's reports to review."""

from datetime import date

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from zhidao.core.scoping import CHANGE
from zhidao.core.workbench import NORMAL, URGENT, Item, list_url, register

from .filters import due_soon_q
from .models import QuarterlyReport, ReportStatus


def report_items(user, scope, today: date) -> list[Item]:
    items = []
    if scope.is_instructor:
        owed = (
            QuarterlyReport.objects.visible_to(user)
            .filter(assignment__instructor_id=scope.instructor_id)
            .order_by()
            .aggregate(
                due=Count("pk", filter=due_soon_q(today) & Q(status=ReportStatus.DRAFT)),
                overdue=Count("pk", filter=Q(status=ReportStatus.DRAFT, due_on__lt=today)),
                first_due=Min("due_on", filter=due_soon_q(today) & Q(status=ReportStatus.DRAFT)),
                returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
            )
        )
        items += [
            Item(
                "reports_due",
                _("Reports due"),
                owed["due"],
                list_url("reports:report_list", status=ReportStatus.DRAFT, due="on"),
                urgency=URGENT if owed["overdue"] else NORMAL,
                nav="reports",
                due_on=owed["first_due"],
            ),
            Item(
                "reports_returned",
                _("Reports returned for revision"),
                owed["returned"],
                list_url("reports:report_list", status=ReportStatus.RETURNED),
                urgency=URGENT,
                nav="reports",
            ),
        ]
    if scope.is_federation_admin:
        review = (
            QuarterlyReport.objects.visible_to(user, CHANGE)
            .filter(status=ReportStatus.SUBMITTED)
            .order_by()
            .aggregate(count=Count("pk"))
        )
        items.append(
            Item(
                "reports_to_review",
                _("Reports to review"),
                review["count"],
                list_url("reports:report_list", status=ReportStatus.SUBMITTED),
                nav="reports",
            )
        )
    return items


register(report_items, order=40)
