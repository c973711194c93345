"""Scoped reads for federations, organizations and unions.

Every function takes the user first; a row outside the user's scope is never returned.
"""

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

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
