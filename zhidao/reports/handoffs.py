"""Who is told when a quarterly report changes hands (issue 12): submitted → the reviewing
admins of the issuing federation; returned or approved → the instructor.

Each is sent after the write commits (notify_on_commit), once per transition: the cause key
carries the ReportTransition's id, so a resubmission after a return is a new hand-off and
notifies again, while the same transition never notifies twice."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhidao.accounts.recipients import nearest_federation_admins
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify, notify_all, notify_on_commit

from .models import QuarterlyReport, ReportTransition


def _facts(report: QuarterlyReport) -> dict[str, object]:
    return {
        "instructor": report.assignment.instructor.name,
        "year": report.year,
        "quarter": report.quarter,
        "batch": report.assignment.batch.name,
    }


def _link(report: QuarterlyReport) -> str:
    return reverse("reports:report_detail", args=[report.pk])


def report_submitted(report: QuarterlyReport, transition: ReportTransition) -> None:
    def send() -> None:
        facts = _facts(report)
        notify_all(
            nearest_federation_admins(report.assignment.batch.federation.path),
            kind=NotificationKind.REPORT_SUBMITTED,
            cause_key=f"report-submitted:{transition.pk}",
            title=_("Quarterly report to review: %(instructor)s, %(year)s Q%(quarter)s") % facts,
            body=_(
                "%(instructor)s submitted the report for %(year)s Q%(quarter)s (%(batch)s); "
                "it waits for your review."
            )
            % facts,
            link=_link(report),
        )

    notify_on_commit(send)


def report_returned(report: QuarterlyReport, transition: ReportTransition) -> None:
    def send() -> None:
        facts = {**_facts(report), "comment": transition.comment}
        notify(
            report.assignment.instructor.user,
            kind=NotificationKind.REPORT_RETURNED,
            cause_key=f"report-returned:{transition.pk}",
            title=_("Your report for %(year)s Q%(quarter)s was returned") % facts,
            body=_("Revise it and submit it again. The reviewer says: %(comment)s") % facts,
            link=_link(report),
        )

    notify_on_commit(send)


def report_approved(report: QuarterlyReport, transition: ReportTransition) -> None:
    def send() -> None:
        facts = _facts(report)
        body = _("The report for %(year)s Q%(quarter)s (%(batch)s) was approved.") % facts
        if transition.comment:
            body = f"{body} {transition.comment}"
        notify(
            report.assignment.instructor.user,
            kind=NotificationKind.REPORT_APPROVED,
            cause_key=f"report-approved:{transition.pk}",
            title=_("Your report for %(year)s Q%(quarter)s was approved") % facts,
            body=body,
            link=_link(report),
        )

    notify_on_commit(send)
