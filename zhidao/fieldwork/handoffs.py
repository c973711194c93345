"""Who is told when field work changes hands (issue 12), after the write commits:

- a finding raised → the officers of the organization's union; answered → the instructor;
  verified (closed, or reopened as not done) → the officers again;
- an on-site day confirmed or disputed by the union officer → the instructor (a day the
  instructor confirmed with the officer's code is the instructor's own act: nobody is told);
- leave approved or rejected → the instructor.

Once per cause: a finding's hand-offs carry the FindingTransition's id (a finding answered a
second time after a reopening notifies again), a day's and a leave's happen once in their life.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from zhidao.accounts.recipients import union_officers
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify, notify_all, notify_on_commit

from .models import (
    Finding,
    FindingStatus,
    FindingTransition,
    LeaveRequest,
    LeaveStatus,
    OnSiteDay,
    OnSiteDayStatus,
)


def _finding_link(finding: Finding) -> str:
    return reverse("fieldwork:finding_detail", args=[finding.pk])


def _finding_facts(finding: Finding) -> dict[str, object]:
    return {
        "organization": finding.organization.name,
        "instructor": finding.assignment.instructor.name,
        "description": finding.description[:120],
        "due": f"{finding.due_on:%Y-%m-%d}" if finding.due_on else "—",
    }


def finding_raised(finding: Finding, transition: FindingTransition) -> None:
    def send() -> None:
        facts = _finding_facts(finding)
        notify_all(
            union_officers(finding.union_id),
            kind=NotificationKind.FINDING_RAISED,
            cause_key=f"finding-raised:{transition.pk}",
            title=_("A finding to rectify at %(organization)s") % facts,
            body=_(
                "%(instructor)s recorded a finding: %(description)s. Please answer it by %(due)s."
            )
            % facts,
            link=_finding_link(finding),
        )

    notify_on_commit(send)


def finding_answered(finding: Finding, transition: FindingTransition) -> None:
    def send() -> None:
        facts = _finding_facts(finding)
        notify(
            finding.assignment.instructor.user,
            kind=NotificationKind.FINDING_ANSWERED,
            cause_key=f"finding-answered:{transition.pk}",
            title=_("The union answered a finding at %(organization)s") % facts,
            body=_("Check the rectification of “%(description)s” and close or reopen it.") % facts,
            link=_finding_link(finding),
        )

    notify_on_commit(send)


def finding_verified(finding: Finding, transition: FindingTransition) -> None:
    def send() -> None:
        facts = {**_finding_facts(finding), "comment": transition.comment}
        if transition.to_status == FindingStatus.CLOSED:
            title = _("Rectification accepted at %(organization)s") % facts
            body = _("%(instructor)s verified the rectification of “%(description)s”.") % facts
        else:
            title = _("Rectification not yet done at %(organization)s") % facts
            body = (
                _("%(instructor)s reopened “%(description)s”: %(comment)s. Please answer it again.")
                % facts
            )
        notify_all(
            union_officers(finding.union_id),
            kind=NotificationKind.FINDING_VERIFIED,
            cause_key=f"finding-verified:{transition.pk}",
            title=title,
            body=body,
            link=_finding_link(finding),
        )

    notify_on_commit(send)


def day_decided(day: OnSiteDay) -> None:
    """The union officer confirmed or disputed the day."""

    def send() -> None:
        facts = {
            "date": f"{day.on_date:%Y-%m-%d}",
            "organization": day.organization.name,
            "reason": day.dispute_reason,
        }
        if day.status == OnSiteDayStatus.CONFIRMED:
            kind = NotificationKind.DAY_CONFIRMED
            title = _("On-site day of %(date)s confirmed") % facts
            body = (
                _("The union of %(organization)s confirmed your day on site of %(date)s.") % facts
            )
        else:
            kind = NotificationKind.DAY_DISPUTED
            title = _("On-site day of %(date)s disputed") % facts
            body = (
                _("The union of %(organization)s disputes your day on site of %(date)s: %(reason)s")
                % facts
            )
        notify(
            day.instructor.user,
            kind=kind,
            cause_key=f"day-{day.status}:{day.pk}",
            title=title,
            body=body,
            link=reverse("fieldwork:on_site_day_detail", args=[day.pk]),
        )

    notify_on_commit(send)


def leave_decided(leave: LeaveRequest) -> None:
    def send() -> None:
        facts = {
            "first": f"{leave.starts_on:%Y-%m-%d}",
            "last": f"{leave.ends_on:%Y-%m-%d}",
            "kind": leave.get_kind_display(),
            "comment": leave.decision_comment,
        }
        if leave.status == LeaveStatus.APPROVED:
            title = _("%(kind)s of %(first)s to %(last)s approved") % facts
            body = _("The weeks it covers are exempt from the on-site rule.")
        else:
            title = _("%(kind)s of %(first)s to %(last)s rejected") % facts
            body = _("The reason given: %(comment)s") % facts
        if leave.status == LeaveStatus.APPROVED and leave.decision_comment:
            body = f"{body} {leave.decision_comment}"
        notify(
            leave.instructor.user,
            kind=NotificationKind.LEAVE_DECIDED,
            cause_key=f"leave-decided:{leave.pk}",
            title=title,
            body=body,
            link=reverse("fieldwork:leave_detail", args=[leave.pk]),
        )

    notify_on_commit(send)
