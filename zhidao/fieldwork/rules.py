"""Who may do what in field work: the instructor records and checks out its own days, the union
officer confirms them and answers findings, federation admins decide on leave; everybody reads
what the scoped selectors show them."""

import rules

from zhidao.accounts.permissions import (
    is_federation_admin,
    is_federation_staff,
    is_instructor,
    is_union_officer,
    on_object,
    visible_through,
)
from zhidao.accounts.scope import scope_of

from . import selectors
from .compliance.selectors import leave_requests_administered_by


@rules.predicate
def is_officer_of(user, union) -> bool:
    return union is not None and union.pk in scope_of(user).union_ids


@rules.predicate
def is_its_instructor(user, row) -> bool:
    """The instructor whose field work the row is (who checked in, recorded, found)."""
    instructor_id = scope_of(user).instructor_id
    if row is None or instructor_id is None:
        return False
    own = row.instructor_id if hasattr(row, "instructor_id") else row.assignment.instructor_id
    return own == instructor_id


@rules.predicate
def is_officer_of_its_union(user, row) -> bool:
    """An officer of the union of the organization the row is at (who confirms, answers)."""
    if row is None:
        return False
    union_id = row.union_id if hasattr(row, "union_id") else row.organization.union_id
    return union_id is not None and union_id in scope_of(user).union_ids


# ----- on-site days -----
rules.add_perm("fieldwork.view_onsiteday", visible_through(selectors.on_site_days_visible_to))
rules.add_perm("fieldwork.add_onsiteday", is_instructor)
# Acting on a row (it came through the scoped lookup already) is its instructor's or its union
# officer's, as the services check too: a superuser, who sees every row, is neither. Check-out
# and the officer's code: the instructor who checked in.
rules.add_perm("fieldwork.change_onsiteday", on_object(is_its_instructor, listed_for=is_instructor))
rules.add_perm(
    "fieldwork.confirm_onsiteday",
    on_object(is_officer_of_its_union, listed_for=is_union_officer),
)
rules.add_perm("fieldwork.issue_code_union", is_officer_of)
rules.add_perm("fieldwork.view_offline_queue", rules.is_authenticated)

# ----- work records, findings, practical matters -----
rules.add_perm("fieldwork.view_workrecord", visible_through(selectors.work_records_visible_to))
rules.add_perm("fieldwork.add_workrecord", is_instructor)
rules.add_perm(
    "fieldwork.change_workrecord", on_object(is_its_instructor, listed_for=is_instructor)
)
rules.add_perm("fieldwork.view_finding", visible_through(selectors.findings_visible_to))
rules.add_perm("fieldwork.add_finding", is_instructor)
rules.add_perm(
    "fieldwork.answer_finding", on_object(is_officer_of_its_union, listed_for=is_union_officer)
)
rules.add_perm("fieldwork.verify_finding", on_object(is_its_instructor, listed_for=is_instructor))
rules.add_perm(
    "fieldwork.view_practicalmatter", visible_through(selectors.practical_matters_visible_to)
)
rules.add_perm("fieldwork.add_practicalmatter", is_instructor)
rules.add_perm(
    "fieldwork.change_practicalmatter", on_object(is_its_instructor, listed_for=is_instructor)
)

# ----- weekly compliance and leave -----
rules.add_perm("fieldwork.view_compliance", is_federation_staff)
rules.add_perm("fieldwork.view_leaverequest", visible_through(selectors.leave_requests_visible_to))
rules.add_perm("fieldwork.add_leaverequest", is_instructor)
rules.add_perm(
    "fieldwork.decide_leaverequest",
    visible_through(leave_requests_administered_by, listed_for=is_federation_admin),
)
