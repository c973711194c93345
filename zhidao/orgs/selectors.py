"""Scoped reads for federations, organizations and unions.

Every function takes the user first; a row outside the user's scope is never returned.
"""

import dataclasses
import hashlib

from django.core.cache import cache
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.core.selectors import any_of, counts_by, subtree_q

from .models import Federation, Organization, Union

# dispatch.AssignmentStatus.ACTIVE: orgs sits below dispatch (tests check the two agree).
ASSIGNMENT_ACTIVE = "active"


def federations_visible_to(user) -> QuerySet[Federation]:
    return Federation.objects.visible_to(user)


def federations_administered_by(user) -> QuerySet[Federation]:
    """Federations the user may write to (admins only, not leaders)."""
    return Federation.objects.visible_to(user, CHANGE)


def organization_scope_q(user, prefix: str = "") -> Q:
    """The condition "this organization is visible to the user", usable from related models."""
    return Q(**{f"{prefix}pk__in": Organization.objects.visible_to(user).values("pk")})


def organizations_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user)


def organizations_administered_by(user) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user, CHANGE)


def unions_visible_to(user) -> QuerySet[Union]:
    return Union.objects.visible_to(user)


def unions_administered_by(user) -> QuerySet[Union]:
    return Union.objects.visible_to(user, CHANGE)


def has_active_assignment_q(today, prefix: str = "") -> Q:
    """The organization has an instructor on an assignment running today (through the reverse
    relation: dispatch, where assignments live, sits above orgs)."""
    running = Organization.objects.unscoped().filter(
        assignment_links__assignment__status=ASSIGNMENT_ACTIVE,
        assignment_links__assignment__starts_on__lte=today,
        assignment_links__assignment__ends_on__gte=today,
    )
    return Q(**{f"{prefix}pk__in": running.values("pk")})


def organization_counts(user, *, today) -> dict[str, int]:
    """Home-page figures for federation staff: the organizations, and the active ones without
    an instructor today, as the active ones less those with one. Two grouped reads: the
    organizations once, and the few thousand running assignments' links; "not in the running
    set" over a province's 100,000 organizations was an anti-join of 57 ms."""
    visible = organizations_visible_to(user).order_by()
    # COUNT(status), never NULL: both counts come from the (federation, status) index alone.
    counts = visible.aggregate(
        organizations=Count("status"), active=Count("status", filter=Q(status="active"))
    )
    covered = (
        visible.filter(status="active")
        .filter(
            assignment_links__assignment__status=ASSIGNMENT_ACTIVE,
            assignment_links__assignment__starts_on__lte=today,
            assignment_links__assignment__ends_on__gte=today,
        )
        .aggregate(n=Count("pk", distinct=True))["n"]
    )
    return {
        "organizations": counts["organizations"],
        "without_instructor": counts["active"] - covered,
    }


# --- Pages: list and detail reads with everything their templates show, in a fixed number
# of queries whatever the number of rows.


class _SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: counts per row without joining two big tables."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def federation_list(user) -> QuerySet[Federation]:
    """The visible tree in path order (a parent is always followed by its subtree); the
    organizations and unions of each subtree come from count_in_subtrees, for a page's rows."""
    return (
        federations_visible_to(user)
        .select_related("parent")
        .annotate(
            child_total=_SubqueryCount(
                Federation.objects.filter(parent_id=OuterRef("pk")).values("pk")
            ),
        )
        .order_by("path")
    )


def federation_detail(user) -> QuerySet[Federation]:
    return federation_list(user).annotate(
        own_organization_total=_SubqueryCount(
            Organization.objects.filter(federation_id=OuterRef("pk")).values("pk")
        ),
        own_union_total=_SubqueryCount(
            Union.objects.filter(federation_id=OuterRef("pk")).values("pk")
        ),
    )


def count_in_subtrees(federations: list[Federation]) -> list[Federation]:
    """Set `organization_total` and `union_total` on each federation: the rows owned by it or by
    any federation below it. One count per table grouped by federation (an index-only scan),
    summed up the tree here: a correlated count per row joined a province's 100,000
    organizations once for the province, once for its city, once for its county (630 ms a
    page of 50 federations). The federations come from the user's scoped list, and everything
    below a visible federation is visible too: the reads under them need no scope of their own."""
    paths = sorted({federation.path for federation in federations})
    # The subtrees the rows head, each once (a city's path covers its counties').
    roots = [
        path
        for index, path in enumerate(paths)
        if not any(path.startswith(other) for other in paths[:index])
    ]
    below = (
        list(
            Federation.objects.unscoped()
            .filter(any_of(subtree_q(tuple(roots), field="path")))
            .values_list("pk", "path")
        )
        if roots
        else []
    )
    ids = [pk for pk, _path in below]
    for model, attribute in ((Organization, "organization_total"), (Union, "union_total")):
        counts = counts_by(model.objects.unscoped(), "federation_id", ids)
        owned = [(path, counts.get(pk, 0)) for pk, path in below]
        for federation in federations:
            total = sum(count for path, count in owned if path.startswith(federation.path))
            setattr(federation, attribute, total)
    return federations


def federation_children(user, federation: Federation) -> QuerySet[Federation]:
    return federation_list(user).filter(parent=federation)


def federation_choices(user, *, administered: bool = False) -> QuerySet[Federation]:
    """Federations for a select box, in tree order (labels are indented by depth)."""
    source = federations_administered_by if administered else federations_visible_to
    return source(user).only("pk", "name", "depth", "path").order_by("path")


def organization_list(user) -> QuerySet[Organization]:
    """The organizations with their unions; the instructors there today come through
    dispatch's template tag (orgs sits below dispatch)."""
    return organizations_visible_to(user).select_related("union").order_by("name", "pk")


def organization_detail(user) -> QuerySet[Organization]:
    return organizations_visible_to(user).select_related("federation", "union")


DISTRICTS_KEPT = 600  # seconds


def organization_districts(user) -> list[str]:
    """The districts that occur in the user's organizations, for the district filter: kept for
    ten minutes per scope, since finding them reads every organization of the subtree (25–40 ms
    at a province's 100,000) and a new district only has to appear in the list soon."""
    scope = scope_of(user)
    # The same scope sees the same organizations (the name printed in headers aside).
    seen = repr(dataclasses.replace(scope, federation_name=""))
    key = "orgs:districts:" + hashlib.sha256(seen.encode()).hexdigest()
    districts = cache.get_or_set(
        key,
        lambda: list(
            organizations_visible_to(user)
            .exclude(district="")
            .order_by("district")
            .values_list("district", flat=True)
            .distinct()
        ),
        DISTRICTS_KEPT,
    )
    return list(districts or [])


def union_list(user) -> QuerySet[Union]:
    return unions_visible_to(user).select_related("federation").order_by("name", "pk")


def count_union_organizations(user, unions: list[Union]) -> list[Union]:
    """Set `organization_total` on each union of a page, in one query over these unions alone
    (counted in the list's query, a province's 64,000 unions were all grouped before the page
    was taken). Only the organizations the user may see are counted (an instructor's view of a
    joint union shows its own organizations, not the whole union)."""
    counts = counts_by(organizations_visible_to(user), "union_id", [union.pk for union in unions])
    for union in unions:
        union.organization_total = counts.get(union.pk, 0)  # type: ignore[attr-defined]
    return unions


def union_detail(user) -> QuerySet[Union]:
    return unions_visible_to(user).select_related("federation")


def union_organizations(user, union: Union) -> QuerySet[Organization]:
    """The union's organizations the user may see (the instructors there today come through
    dispatch's template tag)."""
    return organization_list(user).filter(union=union)
