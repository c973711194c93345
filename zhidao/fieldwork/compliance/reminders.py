"""The Thursday reminder (each once per assignment and week): an instructor on an active
assignment with no confirmed on-site day yet in the week, unless the week is exempt."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.holidays.calendar import week_start
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify

from .selectors import WeekState, compliance_grid


def _language():
    return translation.override(settings.LANGUAGE_CODE)


def send_onsite_reminders(*, today: date) -> int:
    """Instructors on an active assignment with no confirmed on-site day yet in today's ISO week,
    unless the week is exempt (public-holiday week, approved leave covering it)."""
    monday = week_start(today)
    assignments = (
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, starts_on__lte=today)
        .select_related("instructor__user")
        .prefetch_related("organizations")
        .order_by("pk")
    )
    grid = compliance_grid(
        assignments,
        mondays=[monday],
        today=today,
        assignment_ids=assignments.values("pk"),
    )
    year, week, _weekday = monday.isocalendar()
    sent = 0
    with _language():
        link = reverse("fieldwork:check_in")
        for row in grid.rows:
            cell = row.cells[0]
            if cell.state in (WeekState.EXEMPT, WeekState.OUTSIDE, WeekState.UPCOMING):
                continue
            if cell.confirmed_days:
                continue
            assignment = row.assignment
            organizations = "、".join(o.name for o in assignment.organizations.all())
            created = notify(
                assignment.instructor.user,
                kind=NotificationKind.ONSITE_REMINDER,
                cause_key=f"onsite:{assignment.pk}:{year}-W{week:02d}",
                title=_("No confirmed on-site day yet this week"),
                body=_(
                    "Week %(week)s: there is no confirmed on-site day yet at %(organizations)s. "
                    "Please plan at least one day on site before the week ends."
                )
                % {"week": f"{year}-W{week:02d}", "organizations": organizations},
                link=link,
            )
            sent += created is not None
    return sent
