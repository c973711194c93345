"""Field work's items on the workbench (zhidao/core/workbench.py): today's check-in and this
week's on-site rule for the instructor, the answers it verifies and its disputed days; the days
and rectifications waiting for the union officer; the leave and the overdue rectifications of
the federation staff. Each count is one aggregate query over the rows the linked list shows."""

from datetime import date, timedelta

from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.scoping import CHANGE
from zhidao.core.workbench import NORMAL, URGENT, Item, list_url, register
from zhidao.fieldwork.models import (
    Finding,
    FindingStatus,
    LeaveRequest,
    LeaveStatus,
    OnSiteDay,
    OnSiteDayStatus,
)
from zhidao.holidays.calendar import week_start

from .compliance.selectors import this_week_for_instructor
from .records.filters import AWAITING_UNION, overdue_findings_q


def instructor_today(user, scope, today: date) -> list[Item]:
    """签到 before checking in; once checked in, today's day (one tap to its page: its
    records, what to follow up, the check-out), 记录工作 and, until checked out, 签退; then
    this week's rule."""
    if not scope.is_instructor:
        return []
    day = (
        OnSiteDay.objects.visible_to(user, CHANGE)
        .filter(on_date=today)
        .order_by(F("checked_out_at").asc(nulls_first=True), "-checked_in_at", "-id")
        .values("pk", "checked_in_at", "checked_out_at", "organization__name")
        .first()
    )
    if day is None:
        items = [
            Item(
                "check_in",
                pgettext_lazy("workbench", "Check in"),
                0,
                reverse("fieldwork:check_in"),
                action=True,
            )
        ]
    else:
        day_url = reverse("fieldwork:on_site_day_detail", args=[day["pk"]])
        items = [
            Item(
                "today_day",
                pgettext_lazy("workbench", "Today's work"),
                1,
                day_url,
                action=True,
                details=(_today_line(day),),
            ),
            Item(
                "record_work",
                pgettext_lazy("workbench", "Record work"),
                1,
                reverse("fieldwork:work_record_create"),
                action=True,
            ),
        ]
        if day["checked_out_at"] is None:
            items.append(
                Item(
                    "check_out",
                    pgettext_lazy("workbench", "Check out"),
                    1,
                    f"{day_url}#check-out",  # the day page's check-out form (a POST)
                    action=True,
                )
            )
    items.append(this_week_item(user, today))
    return items


def _today_line(day: dict) -> tuple[str, str]:
    values = {
        "organization": day["organization__name"],
        "in": time_format(timezone.localtime(day["checked_in_at"]), "H:i"),
    }
    if day["checked_out_at"] is None:
        return "open", str(_("%(organization)s, checked in at %(in)s") % values)
    values["out"] = time_format(timezone.localtime(day["checked_out_at"]), "H:i")
    return "checked_out", str(
        _("%(organization)s, checked in at %(in)s, checked out at %(out)s") % values
    )


def this_week_item(user, today: date) -> Item:
    """This week's on-site rule, as the compliance grid states it (the same cells as the
    federation's compliance page): the count is the assignments whose week is not yet met."""
    details = []
    not_met = 0
    monday = week_start(today)
    for row in this_week_for_instructor(user, today=today):
        cell = row.cells[0]
        state, label = cell.this_week_status
        not_met += state in ("missed", "unconfirmed")
        names = "、".join(organization.name for organization in row.assignment.organizations.all())
        text = _("%(names)s: %(state)s, %(confirmed)s of %(required)s days confirmed") % {
            "names": names,
            "state": label,
            "confirmed": cell.confirmed_days,
            "required": row.assignment.min_days_per_week,
        }
        details.append((state, str(text)))
    return Item(
        "week_rule",
        _("This week's on-site rule not yet met"),
        not_met,
        list_url(
            "fieldwork:on_site_day_list",
            date_from=monday.isoformat(),
            date_to=(monday + timedelta(days=6)).isoformat(),
        ),
        details=tuple(details),
    )


def instructor_items(user, scope, today: date) -> list[Item]:
    if not scope.is_instructor:
        return []
    days = (
        OnSiteDay.objects.visible_to(user, CHANGE)
        .order_by()
        .aggregate(disputed=Count("pk", filter=Q(status=OnSiteDayStatus.DISPUTED)))
    )
    findings = (
        Finding.objects.visible_to(user, "verify")
        .filter(status=FindingStatus.ANSWERED)
        .order_by()
        .aggregate(count=Count("pk"), due=Min("due_on"))
    )
    return [
        Item(
            "answers_to_verify",
            _("Answers to verify"),
            findings["count"],
            list_url("fieldwork:finding_list", status=FindingStatus.ANSWERED),
            nav="findings",
            due_on=findings["due"],
        ),
        Item(
            "disputed_days",
            _("Disputed on-site days"),
            days["disputed"],
            list_url("fieldwork:on_site_day_list", status=OnSiteDayStatus.DISPUTED),
            urgency=URGENT,
            nav="days",
        ),
    ]


def officer_items(user, scope, today: date) -> list[Item]:
    if not scope.is_union_officer:
        return []
    days = (
        OnSiteDay.objects.visible_to(user, "confirm")
        .filter(status=OnSiteDayStatus.UNCONFIRMED)
        .order_by()
        .aggregate(count=Count("pk"))
    )
    findings = (
        Finding.objects.visible_to(user, "answer")
        .filter(status__in=AWAITING_UNION)
        .order_by()
        .aggregate(
            count=Count("pk"),
            overdue=Count("pk", filter=overdue_findings_q(today)),
            due=Min("due_on"),
        )
    )
    return [
        Item(
            "days_to_confirm",
            _("On-site days to confirm"),
            days["count"],
            reverse("fieldwork:officer_confirmations"),
            nav="confirmations",
        ),
        Item(
            "findings_to_answer",
            _("Rectifications to answer"),
            findings["count"],
            list_url("fieldwork:finding_list", awaiting="union"),
            urgency=URGENT if findings["overdue"] else NORMAL,
            nav="findings",
            due_on=findings["due"],
        ),
    ]


def staff_items(user, scope, today: date) -> list[Item]:
    """Federation admins decide leave; admins and leaders see the overdue rectifications."""
    if not scope.is_federation_staff:
        return []
    items = []
    if scope.is_federation_admin:
        leave = (
            LeaveRequest.objects.visible_to(user, CHANGE)
            .filter(status=LeaveStatus.PENDING)
            .order_by()
            .aggregate(count=Count("pk"), starts=Min("starts_on"))
        )
        items.append(
            Item(
                "leave_to_decide",
                _("Leave requests to decide"),
                leave["count"],
                list_url("fieldwork:leave_list", status=LeaveStatus.PENDING),
                nav="leave",
                due_on=leave["starts"],
            )
        )
    overdue = (
        Finding.objects.visible_to(user)
        .filter(overdue_findings_q(today))
        .order_by()
        .aggregate(count=Count("pk"))
    )
    items.append(
        Item(
            "findings_overdue",
            _("Overdue rectifications"),
            overdue["count"],
            list_url("fieldwork:finding_list", overdue="on"),
            urgency=URGENT,
            nav="findings",
        )
    )
    return items


register(instructor_today, order=10, nav=False)
register(instructor_items, order=20)
register(officer_items, order=30)
register(staff_items, order=60)
