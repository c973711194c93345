"""A batch's assignments (派驻安排): an instructor sent to one or several organizations for a term,
identified by the batch and the instructor's login account.

Every rule the dispatch services enforce when they write (the instructor in the batch's federation
tree, no two assignments of one instructor to one organization at the same time, an end after
the start, 1–7 days a week) is checked here first, against the database and the file's other
rows, so that a file that passed the preview does not fail when it is confirmed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhidao.dispatch import services as dispatch_services
from zhidao.dispatch.models import (
    Assignment,
    AssignmentOrganization,
    Batch,
    Instructor,
    one_year_after,
)

from . import register
from .base import ERROR, LOOKUP_CHUNK, UNCHANGED, UPDATE, Column, ImportKind, RowError, RowPlan
from .columns import credit_codes_column, date_column, int_column, username_column
from .organizations import EXAMPLE_CREDIT_CODE
from .unions import administers, organizations_by_code


@dataclass
class Term:
    """An assignment's organizations and dates as a row leaves them, for the overlap rule."""

    row: int
    assignment_id: int | None
    organization_ids: set[int]
    starts_on: date
    ends_on: date


def default_end(starts_on: date, batch: Batch) -> date:
    """One year (dispatch's default term), but not beyond the batch's end."""
    end = one_year_after(starts_on)
    if batch.ends_on and starts_on <= batch.ends_on < end:
        return batch.ends_on
    return end


def batches_by_name(actor) -> dict[str, list[Batch]]:
    found: dict[str, list[Batch]] = defaultdict(list)
    for batch in Batch.objects.visible_to(actor, "change").select_related("federation"):
        found[batch.name].append(batch)
    return found


def instructors_by_username(usernames) -> dict[str, Instructor]:
    usernames = sorted(set(usernames))
    found: dict[str, Instructor] = {}
    for start in range(0, len(usernames), LOOKUP_CHUNK):
        rows = (
            Instructor.objects.unscoped()
            .filter(user__username__in=usernames[start : start + LOOKUP_CHUNK])
            .select_related("user", "federation")
        )
        found.update((instructor.user.username, instructor) for instructor in rows)
    return found


def organization_links() -> Prefetch:
    # In the order they were added: the first is the assignment's primary organization.
    return Prefetch(
        "organization_links",
        queryset=AssignmentOrganization.objects.select_related("organization").order_by("id"),
    )


class AssignmentKind(ImportKind):
    key = "assignments"
    label = pgettext_lazy("import kind", "Assignments")
    identity_columns = ("batch", "instructor")
    columns = (
        Column(
            "batch",
            pgettext_lazy("import column", "Batch"),
            required=True,
            help=gettext_lazy(
                "The batch's name (第六期), a batch of a federation you administer; create the "
                "batch on the batches page first."
            ),
            example="第六期",
        ),
        username_column(
            "instructor",
            pgettext_lazy("import column", "Instructor's login account"),
            required=True,
            help=gettext_lazy(
                "The instructor's login account (names can repeat, accounts do not). With the "
                "batch it identifies the assignment: a row for an instructor already in the "
                "batch updates that assignment."
            ),
            example="lishili",
        ),
        Column(
            "instructor_name",
            pgettext_lazy("import column", "Instructor's name"),
            blank_keeps=True,
            help=gettext_lazy(
                "Optional; when given, it must be the name of the account's instructor."
            ),
            example="李示例",
        ),
        credit_codes_column(
            "organizations",
            pgettext_lazy("import column", "Credit codes of the organizations assigned to"),
            sort=False,
            required=True,
            help=gettext_lazy(
                "One or several unified social credit codes, separated by 、 , ; or line breaks; "
                "the first is the primary organization. The organizations must be in zhidao."
            ),
            example=EXAMPLE_CREDIT_CODE,
        ),
        date_column(
            "starts_on",
            pgettext_lazy("import column", "Start date"),
            blank_keeps=True,
            help=gettext_lazy(
                "Empty: the batch's start (or, for an assignment already made, its own)."
            ),
            example="",
        ),
        date_column(
            "ends_on",
            pgettext_lazy("import column", "End date"),
            blank_keeps=True,
            help=gettext_lazy(
                "Empty: one year from the start, but not beyond the batch's end (or, for an "
                "assignment already made, its own end)."
            ),
            example="",
        ),
        int_column(
            "min_days_per_week",
            pgettext_lazy("import column", "Minimum on-site days per week"),
            minimum=1,
            maximum=7,
            blank_keeps=True,
            help=gettext_lazy("1 to 7; empty: 1 (or, for an assignment already made, its own)."),
            example="1",
        ),
        Column("notes", pgettext_lazy("import column", "Notes"), example=""),
    )

    def identity(self, values) -> Any:
        if "batch" in values and "instructor" in values:
            return (values["batch"], values["instructor"])
        return None

    # ----- checking -----

    def prepare(self, plans, *, actor) -> dict:
        instructors = instructors_by_username(
            plan.values["instructor"] for plan in plans if plan.values.get("instructor")
        )
        current: dict[int, list[Assignment]] = defaultdict(list)
        ids = sorted(instructor.pk for instructor in instructors.values())
        for start in range(0, len(ids), LOOKUP_CHUNK):
            rows = (
                Assignment.objects.unscoped()
                .filter(instructor_id__in=ids[start : start + LOOKUP_CHUNK])
                .select_related("batch")
                .prefetch_related(organization_links())
            )
            for assignment in rows:
                current[assignment.instructor_id].append(assignment)
        return {
            "batches": batches_by_name(actor),
            "instructors": instructors,
            "organizations": organizations_by_code(
                code for plan in plans for code in plan.values.get("organizations") or ()
            ),
            "assignments": current,
            "terms": defaultdict(list),  # instructor id -> the Terms of the rows checked so far
        }

    def _error(self, plan: RowPlan, key: str, message: str) -> None:
        plan.errors.append(RowError(plan.row, str(self.column(key).header), message))

    def check(self, plan: RowPlan, *, actor, context: dict) -> None:
        values = plan.values
        batch = self._check_batch(plan, context)
        instructor = self._check_instructor(plan, actor, context)
        organizations = []
        for code in values.get("organizations") or ():
            organization = context["organizations"].get(code)
            if organization is None:
                self._error(
                    plan,
                    "organizations",
                    _("No organization with the credit code %(code)s is in zhidao.")
                    % {"code": code},
                )
            elif not administers(actor, organization.federation.path):
                self._error(
                    plan,
                    "organizations",
                    _(
                        "The organization with the credit code %(code)s belongs to "
                        "%(federation)s, outside the federations you administer."
                    )
                    % {"code": code, "federation": organization.federation.name},
                )
            else:
                organizations.append(organization)
        if batch is None or instructor is None:
            return
        batch_path, instructor_path = batch.federation.path, instructor.federation.path
        if not (instructor_path.startswith(batch_path) or batch_path.startswith(instructor_path)):
            self._error(
                plan,
                "instructor",
                _("The instructor does not belong to the batch's federation tree."),
            )
        own = [a for a in context["assignments"][instructor.pk] if a.batch_id == batch.pk]
        if len(own) > 1:
            self._error(
                plan,
                "instructor",
                _(
                    "%(instructor)s has several assignments in %(batch)s; change them on the "
                    "assignments page."
                )
                % {"instructor": instructor.name, "batch": batch.name},
            )
            return
        assignment = own[0] if own else None
        starts_on = values.get("starts_on") or (
            assignment.starts_on if assignment else batch.starts_on
        )
        ends_on = values.get("ends_on") or (
            assignment.ends_on if assignment else default_end(starts_on, batch)
        )
        if "starts_on" not in values or "ends_on" not in values:
            return  # a date that did not parse has its error already
        if ends_on < starts_on:
            self._error(plan, "ends_on", _("The end date is before the start date."))
            return
        if len(organizations) != len(values.get("organizations") or ()):
            return
        term = Term(
            row=plan.row,
            assignment_id=assignment.pk if assignment else None,
            organization_ids={o.pk for o in organizations},
            starts_on=starts_on,
            ends_on=ends_on,
        )
        self._check_overlap(plan, instructor, term, organizations, context)

    def _check_batch(self, plan: RowPlan, context: dict) -> Batch | None:
        name = plan.values.get("batch")
        if not name:
            return None
        batches = context["batches"].get(name, [])
        if not batches:
            self._error(
                plan,
                "batch",
                _("No batch named “%(name)s” is in the federations you administer.")
                % {"name": name},
            )
            return None
        if len(batches) > 1:
            self._error(
                plan,
                "batch",
                _(
                    "Several federations you administer have a batch named “%(name)s” "
                    "(%(federations)s); rename one of them."
                )
                % {"name": name, "federations": "、".join(b.federation.name for b in batches)},
            )
            return None
        return batches[0]

    def _check_instructor(self, plan: RowPlan, actor, context: dict) -> Instructor | None:
        username = plan.values.get("instructor")
        if not username:
            return None
        instructor = context["instructors"].get(username)
        if instructor is None:
            self._error(
                plan,
                "instructor",
                _("No instructor has the login account “%(username)s”.") % {"username": username},
            )
            return None
        if not administers(actor, instructor.federation.path):
            self._error(
                plan,
                "instructor",
                _(
                    "The login account “%(username)s” is an instructor's of %(federation)s, "
                    "outside the federations you administer."
                )
                % {"username": username, "federation": instructor.federation.name},
            )
            return None
        name = plan.values.get("instructor_name")
        if name and name != instructor.name:
            self._error(
                plan,
                "instructor_name",
                _("The login account “%(username)s” is %(name)s's.")
                % {"username": username, "name": instructor.name},
            )
        return instructor

    def _check_overlap(self, plan, instructor, term: Term, organizations, context) -> None:
        """dispatch's rule (no two assignments of one instructor to one organization at the same
        time), against the assignments in zhidao that the file leaves as they are and against
        the file's earlier rows."""
        by_id = {o.pk: o for o in organizations}
        rewritten = {t.assignment_id for t in context["terms"][instructor.pk] if t.assignment_id}
        others = [
            Term(
                row=0,
                assignment_id=a.pk,
                organization_ids={link.organization_id for link in a.organization_links.all()},
                starts_on=a.starts_on,
                ends_on=a.effective_end,
            )
            for a in context["assignments"][instructor.pk]
            if a.pk != term.assignment_id and a.pk not in rewritten
        ]
        for other in others + context["terms"][instructor.pk]:
            shared = term.organization_ids & other.organization_ids
            if shared and other.starts_on <= term.ends_on and term.starts_on <= other.ends_on:
                message = _(
                    "%(instructor)s is already assigned to %(organization)s from %(start)s "
                    "to %(end)s; the dates overlap."
                ) % {
                    "instructor": instructor.name,
                    "organization": by_id[min(shared)].name,
                    "start": other.starts_on.isoformat(),
                    "end": other.ends_on.isoformat(),
                }
                if other.row:
                    message = _("%(message)s (row %(row)d of this file)") % {
                        "message": message,
                        "row": other.row,
                    }
                self._error(plan, "organizations", message)
                return
        context["terms"][instructor.pk].append(term)

    def existing(self, identities, *, actor) -> dict:
        names = {name for name, _username in identities}
        usernames = {username for _name, username in identities}
        rows = (
            Assignment.objects.unscoped()
            .filter(
                batch__in=Batch.objects.visible_to(actor, "change").filter(name__in=names),
                instructor__user__username__in=usernames,
            )
            .select_related("batch", "instructor__user")
            .prefetch_related(organization_links())
        )
        return {(a.batch.name, a.instructor.user.username): a for a in rows}

    def plan(self, rows, *, actor):
        result = super().plan(rows, actor=actor)
        for row in result.rows:
            if row.action == ERROR or "organizations" not in row.changes:
                continue
            current = [
                link.organization.credit_code for link in row.instance.organization_links.all()
            ]
            if set(current) == set(row.values["organizations"]):
                # Only the order differs: organizations already covered keep their order (the
                # primary one stays), so the row changes nothing there.
                row.changes.remove("organizations")
                row.action = UPDATE if row.changes else UNCHANGED
        return result

    # ----- export -----

    def export_queryset(self, actor):
        return (
            Assignment.objects.visible_to(actor)
            .select_related("batch", "instructor__user")
            .prefetch_related(organization_links())
            .order_by("-batch__starts_on", "batch__name", "instructor__name", "starts_on", "id")
        )

    def export_values(self, instance) -> dict:
        return {
            "batch": instance.batch.name,
            "instructor": instance.instructor.user.username,
            "instructor_name": instance.instructor.name,
            "organizations": tuple(
                link.organization.credit_code for link in instance.organization_links.all()
            ),
            "starts_on": instance.starts_on,
            "ends_on": instance.ends_on,
            "min_days_per_week": instance.min_days_per_week,
            "notes": instance.notes,
        }

    # ----- writing -----

    def apply(self, plans, *, actor) -> list[dict]:
        written = [plan for plan in plans if plan.action in ("create", "update")]
        batches = batches_by_name(actor)
        instructors = instructors_by_username(plan.values["instructor"] for plan in written)
        organizations = organizations_by_code(
            code for plan in written for code in plan.values["organizations"]
        )
        for plan in written:
            values = plan.values
            covered = [organizations[code] for code in values["organizations"]]
            if plan.action == "create":
                batch = batches[values["batch"]][0]
                starts_on = values.get("starts_on") or batch.starts_on
                dispatch_services.create_assignment(
                    batch=batch,
                    instructor=instructors[values["instructor"]],
                    organizations=covered,
                    starts_on=starts_on,
                    ends_on=values.get("ends_on") or default_end(starts_on, batch),
                    min_days_per_week=values.get("min_days_per_week") or 1,
                    notes=values.get("notes") or "",
                )
                continue
            assignment = plan.instance
            current = {link.organization_id for link in assignment.organization_links.all()}
            changes: dict[str, Any] = {"notes": values.get("notes") or ""}
            for key in ("starts_on", "ends_on", "min_days_per_week"):
                if values.get(key) is not None:
                    changes[key] = values[key]
            if {o.pk for o in covered} != current:
                changes["organizations"] = covered
            dispatch_services.update_assignment(assignment=assignment, **changes)
        return []


register(AssignmentKind())
