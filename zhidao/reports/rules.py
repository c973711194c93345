"""Who may do what with quarterly reports and the upward statistical report: the instructor of
the assignment drafts, edits and submits; an admin of the issuing federation returns or approves;
federation staff (leaders too) read the subtree's reports, roll them up and produce the upward
report."""

import rules

from zhidao.accounts.permissions import (
    administers,
    is_federation_staff,
    is_instructor,
    visible_through,
)
from zhidao.accounts.scope import scope_of

from . import selectors


@rules.predicate
def is_its_instructor(user, report) -> bool:
    instructor_id = scope_of(user).instructor_id
    return (
        report is not None
        and instructor_id is not None
        and (report.assignment.instructor_id == instructor_id)
    )


@rules.predicate
def administers_its_assignment(user, report) -> bool:
    """An admin of the federation that issued the report's assignment (its batch's)."""
    return report is not None and administers(user, report.assignment)


rules.add_perm("reports.view_quarterlyreport", visible_through(selectors.reports_visible_to))
rules.add_perm("reports.add_quarterlyreport", is_instructor)
rules.add_perm("reports.change_quarterlyreport", is_its_instructor)
rules.add_perm("reports.submit_quarterlyreport", is_its_instructor)
rules.add_perm("reports.review_quarterlyreport", administers_its_assignment)
rules.add_perm("reports.export_quarterlyreport", is_federation_staff)
rules.add_perm("reports.view_upwardreport", is_federation_staff)
