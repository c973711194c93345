"""Scoped reads for federations, organizations and unions.

Every function takes the user first; a row outside the user's scope is never returned.
"""

from django.apps import apps
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import any_of, subtree_q

from .models import Federation, Organization, Union


def _assignment_links():
    # dispatch sits above orgs in the domain; look its model up by name instead of importing it.
    return apps.get_model("dispatch", "AssignmentOrganization")


def federations_visible_to(user) -> QuerySet[Federation]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Federation.objects.all()
    return Federation.objects.filter(any_of(subtree_q(scope.federation_paths, "path")))


def federations_administered_by(user) -> QuerySet[Federation]:
    """Federations the user may write to (admins only, not leaders)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Federation.objects.all()
    return Federation.objects.filter(any_of(subtree_q(scope.admin_paths, "path")))


def organization_scope_q(user, prefix: str = "") -> Q:
    """The condition "this organization is visible to the user", usable from related models."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    conditions = subtree_q(scope.federation_paths, f"{prefix}federation__path")
    if scope.instructor_id is not None:
        assigned = (
            _assignment_links()
            .objects.filter(assignment__instructor_id=scope.instructor_id)
            .values("organization_id")
        )
        conditions.append(Q(**{f"{prefix}pk__in": assigned}))
    if scope.union_ids:
        conditions.append(Q(**{f"{prefix}union_id__in": scope.union_ids}))
    return any_of(conditions)


def organizations_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.filter(organization_scope_q(user))


def organizations_administered_by(user) -> QuerySet[Organization]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(any_of(subtree_q(scope.admin_paths)))


def unions_visible_to(user) -> QuerySet[Union]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Union.objects.all()
    conditions = subtree_q(scope.federation_paths)
    if scope.instructor_id is not None:
        assigned_unions = Organization.objects.filter(
            pk__in=_assignment_links()
            .objects.filter(assignment__instructor_id=scope.instructor_id)
            .values("organization_id"),
            union__isnull=False,
        ).values("union_id")
        conditions.append(Q(pk__in=assigned_unions))
    if scope.union_ids:
        conditions.append(Q(pk__in=scope.union_ids))
    return Union.objects.filter(any_of(conditions))


def unions_administered_by(user) -> QuerySet[Union]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Union.objects.all()
    return Union.objects.filter(any_of(subtree_q(scope.admin_paths)))


def has_active_assignment_q(today, prefix: str = "") -> Exists:
    """Exists-subquery: the organization has an instructor on an active assignment today."""
    links = _assignment_links().objects.filter(
        organization_id=OuterRef(f"{prefix}pk"),
        assignment__status="active",
        assignment__starts_on__lte=today,
        assignment__ends_on__gte=today,
    )
    return Exists(links)


def organization_counts(user, *, today) -> dict[str, int]:
    """Home-page figures for federation staff, aggregated in one query."""
    return organizations_visible_to(user).aggregate(
        organizations=Count("pk"),
        without_instructor=Count(
            "pk", filter=Q(status="active") & ~Q(has_active_assignment_q(today))
        ),
    )


# --- Pages: list and detail reads with everything their templates show, in a fixed number
# of queries whatever the number of rows.


class _SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: counts per row without joining two big tables."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _count_in_subtree(model) -> _SubqueryCount:
    # Everything owned by the federation or by any federation below it (one prefix match).
    rows = model.objects.filter(federation__path__startswith=OuterRef("path")).values("pk")
    return _SubqueryCount(rows)


def federation_list(user) -> QuerySet[Federation]:
    """The visible tree in path order (a parent is always followed by its subtree)."""
    return (
        federations_visible_to(user)
        .select_related("parent")
        .annotate(
            organization_total=_count_in_subtree(Organization),
            union_total=_count_in_subtree(Union),
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


def federation_children(user, federation: Federation) -> QuerySet[Federation]:
    return federation_list(user).filter(parent=federation)


def federation_choices(user, *, administered: bool = False) -> QuerySet[Federation]:
    """Federations for a select box, in tree order (labels are indented by depth)."""
    source = federations_administered_by if administered else federations_visible_to
    return source(user).only("pk", "name", "depth", "path").order_by("path")


def _current_assignments(user, today) -> QuerySet:
    """The user's visible assignments that are running today, with their instructors.

    dispatch sits above orgs in the domain: the import is deferred so that orgs loads on its
    own, and the rules of who sees which assignment stay in dispatch.selectors only.
    """
    from zhidao.dispatch.selectors import assignments_visible_to

    return (
        assignments_visible_to(user)
        .filter(status="active", starts_on__lte=today, ends_on__gte=today)
        .select_related("instructor")
        .order_by("starts_on", "pk")
    )


def organization_list(user, *, today) -> QuerySet[Organization]:
    return (
        organizations_visible_to(user)
        .select_related("union")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=_current_assignments(user, today),
                to_attr="current_assignments",
            )
        )
        .order_by("name", "pk")
    )


def organization_detail(user) -> QuerySet[Organization]:
    return organizations_visible_to(user).select_related("federation", "union")


def organization_assignments(user, organization: Organization) -> QuerySet:
    """The organization's assignments the user may see, newest first."""
    from zhidao.dispatch.selectors import assignments_visible_to

    return (
        assignments_visible_to(user)
        .filter(organization_links__organization=organization)
        .select_related("instructor", "batch")
        .order_by("-starts_on", "-pk")
    )


def organization_districts(user) -> list[str]:
    """The districts that occur in the user's organizations, for the district filter."""
    return list(
        organizations_visible_to(user)
        .exclude(district="")
        .order_by("district")
        .values_list("district", flat=True)
        .distinct()
    )


def union_list(user) -> QuerySet[Union]:
    return (
        unions_visible_to(user)
        .select_related("federation")
        .annotate(
            # Only the organizations the user may see are counted (an instructor's view of a
            # joint union shows its own organizations, not the whole union).
            organization_total=Count(
                "organizations",
                filter=organization_scope_q(user, prefix="organizations__"),
                distinct=True,
            )
        )
        .order_by("name", "pk")
    )


def union_detail(user) -> QuerySet[Union]:
    return unions_visible_to(user).select_related("federation")


def union_organizations(user, union: Union, *, today) -> QuerySet[Organization]:
    """The union's organizations the user may see, with the instructors there today."""
    return organization_list(user, today=today).filter(union=union)
