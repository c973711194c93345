"""Scoped reads of work records, findings and practical matters.

Each list is one scoped queryset with what its rows show already joined, so a page costs the same
number of queries for 1 row or 100. The role-specific selectors (`*_answerable_by`,
`*_verifiable_by`, `*_editable_by`) decide who may act on a row: anyone else gets a 404.
"""

from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.core.selectors import apply_search, count_children, list_order
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.models import (
    Beneficiary,
    Finding,
    FindingStatus,
    FindingTransition,
    OnSiteDay,
    PracticalMatter,
    PracticalMatterCategory,
    PracticalMatterStatus,
    WorkRecord,
    WorkRecordAttachment,
)
from zhidao.fieldwork.selectors import (
    assignments_open_for_recording,
    findings_visible_to,
    on_site_days_visible_to,
    practical_matters_visible_to,
    work_records_visible_to,
)
from zhidao.orgs.models import Organization
from zhidao.orgs.selectors import organizations_visible_to


def search_by_organization(user, rows: QuerySet, text: str) -> QuerySet:
    """The rows of the organizations the user may see whose name, pinyin, initials or credit
    code match (the search box of the field-work lists), best match first, then in the list's
    own order."""
    if not (text or "").strip():
        return rows
    visible = organizations_visible_to(user).values("pk")
    return apply_search(
        rows.filter(organization_id__in=visible),
        text,
        prefix="organization__",
        extra_exact=("credit_code",),
        then_by=list_order(rows),
    )


def recording_places(user) -> list[tuple[Assignment, Organization]]:
    """(assignment, organization) pairs the instructor may record on now: its active
    assignments' organizations, newest assignment first."""
    assignments = (
        assignments_open_for_recording(user)
        .select_related("batch")
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("name")))
        .order_by("-starts_on", "pk")
    )
    places: list[tuple[Assignment, Organization]] = []
    seen: set[int] = set()
    for assignment in assignments:
        for organization in assignment.organizations.all():
            if organization.pk not in seen:
                seen.add(organization.pk)
                places.append((assignment, organization))
    return places


# ----- work records -----


# The record list's order, served by the index record_list_order (a keyset page seeks in it).
WORK_RECORD_ORDER = ("-worked_on", "-id")


def work_record_list(user) -> QuerySet[WorkRecord]:
    """The work record list page's rows (filters.WorkRecordFilterSet narrows them). Their
    attachments are counted for the page's rows only, by count_attachments()."""
    return (
        work_records_visible_to(user)
        .select_related("organization", "instructor")
        .order_by(*WORK_RECORD_ORDER)
    )


def work_record_export(user) -> QuerySet[WorkRecord]:
    """The record list's rows for its export (every page), each with its attachment count."""
    return work_record_list(user).annotate(attachment_count=Count("attachments"))


def count_attachments(records: list[WorkRecord]) -> list[WorkRecord]:
    """Set `attachment_count` on each record of a page, counted over these records alone."""
    return count_children(records, WorkRecordAttachment, "record_id", "attachment_count")


def work_record_detail(user) -> QuerySet[WorkRecord]:
    return (
        work_records_visible_to(user)
        .select_related("organization", "instructor", "assignment__batch", "on_site_day")
        .prefetch_related("attachments")
    )


def work_records_editable_by(user) -> QuerySet[WorkRecord]:
    """The instructor's own records on assignments that are still active."""
    return (
        WorkRecord.objects.visible_to(user, CHANGE)
        .filter(assignment__status=AssignmentStatus.ACTIVE)
        .select_related("organization", "assignment")
    )


def linkable_on_site_days(user, *, assignment_ids=None) -> QuerySet[OnSiteDay]:
    """The instructor's on-site days on its active assignments, newest first (bounded)."""
    scope = scope_of(user)
    if scope.instructor_id is None:
        return OnSiteDay.objects.none()
    days = on_site_days_visible_to(user).filter(
        instructor_id=scope.instructor_id, assignment__status=AssignmentStatus.ACTIVE
    )
    if assignment_ids is not None:
        days = days.filter(assignment_id__in=assignment_ids)
    return days.select_related("organization").order_by("-on_date", "-pk")


def day_to_record_on(
    user, *, today: date, since: date, day_id: int | None = None
) -> OnSiteDay | None:
    """The on-site day a new work record starts from: the one named (from its day page, if
    linkable: the instructor's, on an active assignment, not before `since`), or else today's
    check-in, the day still open first."""
    days = linkable_on_site_days(user).filter(on_date__gte=since)
    if day_id is not None:
        return days.filter(pk=day_id).first()
    return (
        days.filter(on_date=today)
        .order_by(F("checked_out_at").asc(nulls_first=True), "-checked_in_at", "-pk")
        .first()
    )


# ----- findings -----


def _overdue(today: date) -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(due_on__lt=today) & ~Q(status=FindingStatus.CLOSED), output_field=BooleanField()
    )


def finding_list(user, *, today: date) -> QuerySet[Finding]:
    """The finding list page's rows (filters.FindingFilterSet narrows them)."""
    return (
        findings_visible_to(user)
        .select_related("organization", "assignment__instructor")
        .annotate(is_overdue=_overdue(today))
        .order_by("due_on", "id")
    )


def finding_detail(user, *, today: date) -> QuerySet[Finding]:
    return (
        findings_visible_to(user)
        .select_related("organization", "union", "assignment__instructor", "created_by")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=FindingTransition.objects.select_related("actor").order_by("at", "id"),
            ),
            "evidence",
        )
        .annotate(is_overdue=_overdue(today))
    )


def findings_answerable_by(user) -> QuerySet[Finding]:
    """Findings the user may answer: those of its own union (union officers only)."""
    return Finding.objects.visible_to(user, "answer")


def findings_verifiable_by(user) -> QuerySet[Finding]:
    """Findings the user may close or reopen: those of its own assignments (instructors)."""
    return Finding.objects.visible_to(user, "verify")


def open_findings_for_organization(user, organization: Organization) -> QuerySet[Finding]:
    """Findings of the organization not yet closed, as the user may see them: what the next
    instructor takes over at handover."""
    return (
        findings_visible_to(user)
        .filter(organization=organization)
        .exclude(status=FindingStatus.CLOSED)
        .select_related("assignment__instructor")
        .order_by("due_on", "id")
    )


# ----- practical matters -----


def practical_matter_list(user) -> QuerySet[PracticalMatter]:
    """The practical matter list page's rows (filters.PracticalMatterFilterSet narrows them)."""
    return (
        practical_matters_visible_to(user)
        .select_related("organization", "assignment__instructor")
        .order_by("-created_at", "-id")
    )


def practical_matter_totals(matters: QuerySet[PracticalMatter]) -> dict:
    """Count and beneficiaries of the filtered matters shown, overall, by status and by
    category — one aggregate query. Workers (人次) and enterprises (家) are summed apart, never
    added together (FIGURES.md)."""
    workers, enterprises = Q(beneficiary=Beneficiary.WORKERS), Q(beneficiary=Beneficiary.ENTERPRISE)
    aggregates = {
        "count": Count("pk"),
        "workers": Sum("beneficiaries_count", filter=workers, default=0),
        "enterprises": Sum("beneficiaries_count", filter=enterprises, default=0),
    }
    for prefix, field, choices in (
        ("status", "status", PracticalMatterStatus),
        ("category", "category", PracticalMatterCategory),
    ):
        for value in choices.values:
            condition = Q(**{field: value})
            aggregates[f"{prefix}_{value}_count"] = Count("pk", filter=condition)
            aggregates[f"{prefix}_{value}_workers"] = Sum(
                "beneficiaries_count", filter=condition & workers, default=0
            )
            aggregates[f"{prefix}_{value}_enterprises"] = Sum(
                "beneficiaries_count", filter=condition & enterprises, default=0
            )
    values = matters.order_by().aggregate(**aggregates)

    def rows(prefix: str, choices) -> list[dict]:
        return [
            {
                "value": value,
                "label": label,
                "count": values[f"{prefix}_{value}_count"],
                "workers": values[f"{prefix}_{value}_workers"],
                "enterprises": values[f"{prefix}_{value}_enterprises"],
            }
            for value, label in choices.choices
        ]

    return {
        "count": values["count"],
        "workers": values["workers"],
        "enterprises": values["enterprises"],
        "by_status": rows("status", PracticalMatterStatus),
        "by_category": [row for row in rows("category", PracticalMatterCategory) if row["count"]],
    }


def practical_matter_detail(user) -> QuerySet[PracticalMatter]:
    return (
        practical_matters_visible_to(user)
        .select_related("organization", "assignment__instructor", "assignment__batch")
        .prefetch_related("photos")
    )


def practical_matters_editable_by(user) -> QuerySet[PracticalMatter]:
    """The instructor's own matters on assignments that are still active."""
    return (
        PracticalMatter.objects.visible_to(user, CHANGE)
        .filter(assignment__status=AssignmentStatus.ACTIVE)
        .select_related("organization", "assignment")
    )


def practical_matter_districts(user) -> list[str]:
    return list(
        practical_matters_visible_to(user)
        .exclude(organization__district="")
        .order_by("organization__district")
        .values_list("organization__district", flat=True)
        .distinct()
    )


def previous_open_findings(user, assignment) -> QuerySet[Finding]:
    """Handover: findings of earlier assignments at the same organizations not yet closed.

    The caller has fetched `assignment` through a scoped selector; the findings are limited to
    its organizations that the user may see (an officer: its own union's), so the next instructor
    sees what the previous one left open although it was not the author."""
    organization_ids = assignment.organization_links.filter(
        organization__in=organizations_visible_to(user).values("pk")
    ).values("organization_id")
    # Unscoped on purpose: the earlier instructor's findings, at organizations the user sees.
    return (
        Finding.objects.unscoped()
        .filter(
            organization_id__in=organization_ids, assignment__starts_on__lt=assignment.starts_on
        )
        .exclude(assignment=assignment)
        .exclude(status=FindingStatus.CLOSED)
        .select_related("organization", "assignment__instructor")
        .order_by("due_on", "id")
    )
