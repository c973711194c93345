"""Writes for federations, organizations and unions. Each use case is one transaction."""

from django.db.models.functions import Substr

from zhidao.core.scoping import use_case
from zhidao.core.services import apply_changes, validate_and_save

from .models import PATH_STEP, Federation, Organization, Union

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _encode(number: int) -> str:
    out = ""
    for _ in range(PATH_STEP):
        number, remainder = divmod(number, 36)
        out = _DIGITS[remainder] + out
    return out


def _next_child_path(parent: Federation | None) -> str:
    prefix = parent.path if parent else ""
    depth = (parent.depth + 1) if parent else 0
    siblings = Federation.objects.filter(depth=depth, path__startswith=prefix)
    last = (
        siblings.annotate(step=Substr("path", len(prefix) + 1, PATH_STEP))
        .order_by("-step")
        .values_list("step", flat=True)
        .first()
    )
    following = int(last, 36) + 1 if last else 1
    return f"{prefix}{_encode(following)}."


@use_case
def create_federation(*, name: str, level: str, parent: Federation | None = None, **fields):
    federation = Federation(name=name, level=level, parent=parent, **fields)
    federation.path = _next_child_path(parent)
    federation.depth = (parent.depth + 1) if parent else 0
    validate_and_save(federation)
    return federation


@use_case
def update_federation(*, federation: Federation, **changes) -> list[str]:
    new_parent = changes.get("parent", federation.parent)
    changed = apply_changes(federation, changes)
    if "parent" in changed:
        federation.full_clean()
        old_path = federation.path
        federation.path = _next_child_path(new_parent)
        federation.depth = (new_parent.depth + 1) if new_parent else 0
        _move_subtree(old_path=old_path, new_path=federation.path)
    validate_and_save(federation)
    return changed


def _move_subtree(*, old_path: str, new_path: str) -> None:
    descendants = Federation.objects.select_for_update().filter(path__startswith=old_path)
    moved = []
    for node in descendants.exclude(path=old_path):
        node.path = new_path + node.path[len(old_path) :]
        node.depth = node.path.count(".") - 1
        moved.append(node)
    Federation.objects.bulk_update(moved, ["path", "depth"])


@use_case
def create_organization(**fields) -> Organization:
    organization = Organization(**fields)
    validate_and_save(organization)
    return organization


@use_case
def update_organization(*, organization: Organization, **changes) -> list[str]:
    changed = apply_changes(organization, changes)
    validate_and_save(organization)
    return changed


@use_case
def create_union(*, organizations=(), **fields) -> Union:
    union = Union(**fields)
    validate_and_save(union)
    _link_organizations(union, add={o.pk for o in organizations}, remove=set())
    return union


@use_case
def update_union(*, union: Union, organizations=None, **changes) -> list[str]:
    changed = apply_changes(union, changes)
    validate_and_save(union)
    if organizations is not None:
        wanted = {o.pk for o in organizations}
        current = set(union.organizations.values_list("pk", flat=True))
        if wanted != current:
            _link_organizations(union, add=wanted - current, remove=current - wanted)
            changed.append("organizations")
    return changed


def _link_organizations(union: Union, *, add: set[int], remove: set[int]) -> None:
    # Saved one by one (a union covers a handful) so the audit log records each change.
    for organization in Organization.objects.filter(pk__in=add | remove):
        organization.union = union if organization.pk in add else None
        organization.save(update_fields=["union", "updated_at"])
