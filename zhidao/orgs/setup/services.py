"""The federation tree of a province or a city and its first admin, in one transaction.

Every federation is written by `orgs.services.create_federation`, so paths, depths and the audit
log are what any other federation gets. A federation is known by its division code
(`Federation.region_code`, unique when set): a division that already has one is left exactly as it
is (its name may have been edited since), so running the setup again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhidao.accounts import services as account_services
from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.core.scoping import use_case

from .. import divisions
from ..divisions import Division
from ..models import Federation, FederationLevel
from ..services import create_federation, update_federation

LEVELS = {
    divisions.PROVINCE: FederationLevel.PROVINCE,
    divisions.PREFECTURE: FederationLevel.CITY,
    divisions.COUNTY: FederationLevel.DISTRICT,
}
ROOT_LEVELS = (divisions.PROVINCE, divisions.PREFECTURE)


@dataclass(frozen=True)
class PlannedFederation:
    """One federation of the tree as the setup would create it."""

    division: Division
    name: str
    short_name: str
    level: str
    depth: int  # 0 for the root


@dataclass
class SetupOutcome:
    root: Federation
    created: list[Federation] = field(default_factory=list)
    kept: list[Federation] = field(default_factory=list)  # there already, left as they were
    linked: list[Federation] = field(default_factory=list)  # found by name, given their code
    admin: User | None = None
    admin_created: bool = False
    one_time_password: str = ""  # set when the setup chose the admin's password


def resolve_root_division(code_or_name: str) -> Division:
    """The province or prefecture meant by a code (430300, 4303) or a name (湘潭市, 湘潭)."""
    matches = divisions.lookup(code_or_name or "")
    roots = [division for division in matches if division.level in ROOT_LEVELS]
    if len(roots) == 1:
        return roots[0]
    if len(roots) > 1:
        raise ValidationError(
            _("“%(query)s” is ambiguous: %(choices)s. Give the six-digit code instead.")
            % {"query": code_or_name, "choices": "、".join(str(d) for d in roots)},
            code="ambiguous",
        )
    if matches:
        raise ValidationError(
            _(
                "%(division)s is a county-level division. Set up its province or city; "
                "the county federations come with it."
            )
            % {"division": matches[0]},
            code="county",
        )
    raise ValidationError(
        _("No province or city “%(query)s” in the division list (GB/T 2260).")
        % {"query": code_or_name},
        code="unknown",
    )


def plan_tree(root: Division, *, names: Mapping[str, str] | None = None) -> list[PlannedFederation]:
    """The root and every division below it, parents first, with the derived federation names
    (湘潭市 → 湘潭市总工会, 雨湖区 → 雨湖区总工会) or those given in `names` (code → name)."""
    names = names or {}
    planned = []
    for division in divisions.subtree(root):
        depth = 0 if division is root else (1 if division.parent_code == root.code else 2)
        planned.append(
            PlannedFederation(
                division=division,
                name=(names.get(division.code) or "").strip()
                or divisions.federation_name(division),
                short_name=divisions.federation_short_name(division),
                level=LEVELS[division.level],
                depth=depth,
            )
        )
    return planned


@use_case
def set_up_federation_tree(
    *,
    division: str | Division,
    admin_username: str,
    admin_password: str = "",
    admin_full_name: str = "",
    names: Mapping[str, str] | None = None,
) -> SetupOutcome:
    """Create the federation of a province or a city (placed under the federation of its
    province when there is one), those of the divisions below it, and the admin of the root.

    `names` (division code → name) replaces derived names of federations still to be created.
    Without `admin_password` a one-time password is generated (returned in the outcome); either
    way the admin must change it at the first login. An admin username that exists already is
    accepted only if that account already administers the root (a repeated run).
    """
    root_division = division if isinstance(division, Division) else resolve_root_division(division)
    planned = plan_tree(root_division, names=names)
    codes = [item.division.code for item in planned]
    existing = {f.region_code: f for f in Federation.objects.filter(region_code__in=codes)}
    federations: dict[str, Federation] = {}
    outcome: SetupOutcome | None = None
    for item in planned:
        code = item.division.code
        parent = _parent_federation(item.division, federations)
        federation = existing.get(code)
        bucket = "kept"
        if federation is None:
            federation = _unnumbered_namesake(item, parent)
            if federation is not None:
                update_federation(federation=federation, region_code=code)
                bucket = "linked"
        if federation is None:
            federation = create_federation(
                name=item.name,
                short_name=item.short_name,
                level=item.level,
                parent=parent,
                region_code=code,
            )
            bucket = "created"
        federations[code] = federation
        if outcome is None:
            outcome = SetupOutcome(root=federation)
        getattr(outcome, bucket).append(federation)
    assert outcome is not None  # the plan always holds the root
    _set_up_admin(
        outcome,
        username=admin_username,
        password=admin_password,
        full_name=admin_full_name,
    )
    return outcome


def _parent_federation(division: Division, federations: dict[str, Federation]) -> Federation | None:
    if not division.parent_code:
        return None
    if division.parent_code in federations:
        return federations[division.parent_code]
    # The root of a city's setup goes under its province's federation if that exists already.
    return Federation.objects.filter(region_code=division.parent_code).first()


def _unnumbered_namesake(item: PlannedFederation, parent: Federation | None) -> Federation | None:
    """A federation entered by hand before, with the derived name, in the same place and
    without a code: it is this division's, and gets the code instead of a twin."""
    return (
        Federation.objects.filter(
            name=divisions.federation_name(item.division), parent=parent, region_code=""
        )
        .order_by("pk")
        .first()
    )


def _set_up_admin(outcome: SetupOutcome, *, username: str, password: str, full_name: str) -> None:
    username = (username or "").strip()
    account = User.objects.filter(username=username).first() if username else None
    if account is not None:
        if not RoleGrant.objects.filter(
            user=account, role=Role.FEDERATION_ADMIN, federation=outcome.root
        ).exists():
            raise ValidationError(
                {
                    "admin_username": _(
                        "The username “%(username)s” belongs to another account; choose another."
                    )
                    % {"username": username}
                }
            )
        outcome.admin = account
        return
    if not password:
        password = account_services.generate_one_time_password()
        outcome.one_time_password = password
    try:
        outcome.admin = account_services.create_account_with_role(
            username=username,
            password=password,
            full_name=(full_name or _("%(federation)s admin") % {"federation": outcome.root.name})[
                :50
            ],
            role=Role.FEDERATION_ADMIN,
            federation=outcome.root,
            must_change_password=True,
        )
    except ValidationError as error:
        raise ValidationError(
            {f"admin_{name}": messages for name, messages in error.message_dict.items()}
        ) from None
    outcome.admin_created = True
