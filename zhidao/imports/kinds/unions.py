"""Grassroots unions (基层工会) with their chair's login account, identified by the organizations
they cover: a row updates the union its organizations are linked to (Organization.union).

Unions number thousands, not 100,000: each row is written through the orgs services (which
audit every link), while `plan()` reads everything it needs in a few queries for the whole file.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhidao.accounts import services as account_services
from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.accounts.scope import scope_of
from zhidao.orgs import services as org_services
from zhidao.orgs.models import Organization, Union, UnionStatus

from . import register
from .base import ERROR, LOOKUP_CHUNK, UNCHANGED, UPDATE, Column, ImportKind, RowError, RowPlan
from .columns import (
    choice_column,
    credit_codes_column,
    date_column,
    int_column,
    phone_column,
    username_column,
    yes_no_column,
)
from .organizations import EXAMPLE_CREDIT_CODE, federations_by_name, unknown_federation


def administers(actor, path: str) -> bool:
    scope = scope_of(actor)
    return scope.is_superuser or scope.can_administer_path(path)


def organizations_by_code(codes) -> dict[str, Organization]:
    codes = sorted(set(codes))
    found: dict[str, Organization] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        rows = (
            Organization.objects.unscoped()
            .filter(credit_code__in=codes[start : start + LOOKUP_CHUNK])
            .select_related("federation", "union__federation")
        )
        found.update((organization.credit_code, organization) for organization in rows)
    return found


def users_by_username(usernames) -> dict[str, User]:
    """The accounts with these usernames, with what decides whose they are (their grants'
    federations and unions, their instructor record's federation)."""
    usernames = sorted(set(usernames))
    found: dict[str, User] = {}
    grants = RoleGrant.objects.select_related("federation", "union__federation")
    for start in range(0, len(usernames), LOOKUP_CHUNK):
        rows = (
            User.objects.filter(username__in=usernames[start : start + LOOKUP_CHUNK])
            .select_related("instructor__federation")
            .prefetch_related(Prefetch("role_grants", queryset=grants))
        )
        found.update((user.username, user) for user in rows)
    return found


def account_paths(user: User) -> list[str]:
    """The federation paths an account's roles lie in (a union's: its federation's)."""
    paths = []
    for grant in user.role_grants.all():
        if grant.federation is not None:
            paths.append(grant.federation.path)
        elif grant.union is not None:
            paths.append(grant.union.federation.path)
        elif grant.role == Role.INSTRUCTOR:
            instructor = getattr(user, "instructor", None)
            if instructor is not None:
                paths.append(instructor.federation.path)
    return paths


def account_is_within(actor, user: User) -> bool:
    """An account the actor may give a role to: every role it holds lies in the actor's
    subtree. An account without any role (or a superuser) could be anybody's: not within."""
    if user.is_superuser:
        return False
    paths = account_paths(user)
    return bool(paths) and all(administers(actor, path) for path in paths)


def officer_grants() -> Prefetch:
    return Prefetch(
        "role_grants",
        queryset=RoleGrant.objects.filter(role=Role.UNION_OFFICER)
        .select_related("user")
        .order_by("id"),
        to_attr="officer_grants",
    )


def covered_organizations() -> Prefetch:
    return Prefetch(
        "organizations",
        queryset=Organization.objects.unscoped().only("pk", "credit_code", "union_id"),
    )


class UnionKind(ImportKind):
    key = "unions"
    label = pgettext_lazy("import kind", "Grassroots unions")
    identity_columns = ("organizations",)
    columns = (
        Column(
            "name",
            pgettext_lazy("import column", "Union name"),
            required=True,
            help=gettext_lazy("The union's full name, e.g. 湖南吉利汽车部件有限公司工会."),
            example="湘潭示例科技有限公司工会委员会",
        ),
        Column(
            "federation",
            gettext_lazy("Owning federation"),
            required=True,
            help=gettext_lazy(
                "The federation the union belongs to, by its name (湘潭市总工会) or short name; "
                "it must be one you administer."
            ),
            example="雨湖区总工会",
        ),
        credit_codes_column(
            "organizations",
            pgettext_lazy("import column", "Credit codes of the organizations covered"),
            sort=True,
            required=True,
            help=gettext_lazy(
                "The unified social credit code of the organization the union is set up in; a "
                "joint union lists several, separated by 、 , ; or line breaks. The organizations "
                "must already be in zhidao (import them first). They identify the union: a row "
                "whose organizations already have a union updates that union."
            ),
            example=EXAMPLE_CREDIT_CODE,
        ),
        yes_no_column(
            "is_joint",
            pgettext_lazy("import column", "Joint union"),
            help=gettext_lazy(
                "是 for a joint union (联合工会), which covers several organizations."
            ),
            example="否",
        ),
        date_column(
            "founded_on",
            pgettext_lazy("import column", "Founding date"),
            example="2020-05-01",
        ),
        Column(
            "chair_name",
            pgettext_lazy("import column", "Union chair"),
            help=gettext_lazy("The chair's name."),
            example="张示例",
        ),
        int_column(
            "member_count",
            pgettext_lazy("import column", "Number of members"),
            blank=0,
            example="80",
        ),
        choice_column(
            "status",
            pgettext_lazy("import column", "Status"),
            UnionStatus.choices,
            blank=UnionStatus.ACTIVE,
            help=gettext_lazy("Empty means active."),
            example=str(UnionStatus.ACTIVE.label),
        ),
        username_column(
            "chair_username",
            pgettext_lazy("import column", "Chair's login account"),
            blank_keeps=True,
            help=gettext_lazy(
                "Optional. The account the chair logs in with as the union's officer: a new "
                "account is created with a one-time password (shown once, after the import); "
                "an existing account of your federations gets the union officer role. Empty "
                "leaves the union's accounts as they are."
            ),
            example="zhangshili",
        ),
        phone_column(
            "chair_phone",
            pgettext_lazy("import column", "Chair's mobile phone"),
            blank_keeps=True,
            help=gettext_lazy(
                "Optional, with the login account: kept (encrypted) on the chair's account. "
                "Empty leaves the account's phone as it is."
            ),
            example="13812345678",
        ),
    )

    def identity(self, values) -> Any:
        return values.get("organizations")

    # ----- checking -----

    def prepare(self, plans, *, actor) -> dict:
        codes = [code for plan in plans for code in plan.values.get("organizations") or ()]
        usernames = [
            plan.values["chair_username"] for plan in plans if plan.values.get("chair_username")
        ]
        # An organization may be listed in one row only: two rows would both claim it.
        first_listed: dict[str, int] = {}
        repeated: dict[int, list[tuple[str, int]]] = {}
        for plan in plans:
            if plan.errors:  # a row repeating another one's organizations is flagged already
                continue
            for code in plan.values.get("organizations") or ():
                if code in first_listed and first_listed[code] != plan.row:
                    repeated.setdefault(plan.row, []).append((code, first_listed[code]))
                else:
                    first_listed.setdefault(code, plan.row)
        return {
            "federations": federations_by_name(actor),
            "organizations": organizations_by_code(codes),
            "users": users_by_username(usernames),
            "repeated": repeated,
        }

    def check(self, plan: RowPlan, *, actor, context: dict) -> None:
        values = plan.values
        header = str(self.column("organizations").header)
        if "federation" in values and values["federation"] not in context["federations"]:
            plan.errors.append(
                unknown_federation(plan.row, self.column("federation").header, values["federation"])
            )
        codes = values.get("organizations") or ()
        for code, first in context["repeated"].get(plan.row, ()):
            plan.errors.append(
                RowError(
                    plan.row,
                    header,
                    _("The organization %(code)s is already listed in row %(first)d of this file.")
                    % {"code": code, "first": first},
                )
            )
        unions: dict[int, Union] = {}
        for code in codes:
            organization = context["organizations"].get(code)
            if organization is None:
                plan.errors.append(
                    RowError(
                        plan.row,
                        header,
                        _(
                            "No organization with the credit code %(code)s is in zhidao; "
                            "import it with the organizations first."
                        )
                        % {"code": code},
                    )
                )
            elif not administers(actor, organization.federation.path):
                plan.errors.append(
                    RowError(
                        plan.row,
                        header,
                        _(
                            "The organization with the credit code %(code)s belongs to "
                            "%(federation)s, outside the federations you administer."
                        )
                        % {"code": code, "federation": organization.federation.name},
                    )
                )
            elif organization.union is not None:
                unions[organization.union.pk] = organization.union
        if len(unions) > 1:
            plan.errors.append(
                RowError(
                    plan.row,
                    header,
                    _(
                        "These organizations belong to different unions (%(unions)s): a row "
                        "lists the organizations of one union."
                    )
                    % {"unions": "、".join(sorted(union.name for union in unions.values()))},
                )
            )
        if len(codes) > 1 and values.get("is_joint") is False:
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("is_joint").header),
                    _("A union covering several organizations is a joint union: write 是."),
                )
            )
        username = values.get("chair_username")
        if username:
            user = context["users"].get(username)
            if user is not None and not account_is_within(actor, user):
                plan.errors.append(
                    RowError(
                        plan.row,
                        str(self.column("chair_username").header),
                        _(
                            "The login account “%(username)s” is taken by an account outside "
                            "the federations you administer; choose another one."
                        )
                        % {"username": username},
                    )
                )
        elif values.get("chair_phone"):
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("chair_phone").header),
                    _("The chair's phone is kept on the chair's account: give the login account."),
                )
            )

    def existing(self, identities, *, actor) -> dict:
        organizations = organizations_by_code(code for codes in identities for code in codes)
        union_ids = {o.union_id for o in organizations.values() if o.union_id is not None}
        unions = {
            union.pk: union
            for union in Union.objects.unscoped()
            .filter(pk__in=union_ids)
            .select_related("federation")
            .prefetch_related(covered_organizations(), officer_grants())
        }
        found = {}
        for codes in identities:
            linked = {organizations[code].union_id for code in codes if code in organizations}
            linked.discard(None)
            if len(linked) == 1:
                found[codes] = unions[linked.pop()]
        return found

    def check_instance(self, plan: RowPlan, *, actor, context: dict) -> None:
        union = plan.instance
        if not administers(actor, union.federation.path):
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("organizations").header),
                    _(
                        "These organizations already have a union, %(union)s, registered by "
                        "%(federation)s, outside the federations you administer."
                    )
                    % {"union": union.name, "federation": union.federation.name},
                )
            )

    def plan(self, rows, *, actor):
        result = super().plan(rows, actor=actor)
        claimed: dict[int, int] = {}
        for row in result.rows:
            if row.instance is None or row.action == ERROR:
                continue
            union = row.instance
            if union.pk in claimed:
                # Organizations of one union split over two rows: both rows would rewrite it.
                row.errors.append(
                    RowError(
                        row.row,
                        str(self.column("organizations").header),
                        _(
                            "These organizations belong to %(union)s, as those of row %(first)d "
                            "do: list all of a union's organizations in one row."
                        )
                        % {"union": union.name, "first": claimed[union.pk]},
                    )
                )
                row.action = ERROR
                continue
            claimed[union.pk] = row.row
            # The export shows one officer's account; a row naming another of the union's
            # officers (with that officer's phone) changes nothing either.
            officer = self._officer(union, row.values.get("chair_username"))
            if officer is not None:
                for key, current in (
                    ("chair_username", officer.username),
                    ("chair_phone", officer.phone),
                ):
                    if key in row.changes and row.values.get(key) == current:
                        row.changes.remove(key)
                row.action = UPDATE if row.changes else UNCHANGED
        return result

    @staticmethod
    def _officer(union: Union, username: str | None) -> User | None:
        return next(
            (grant.user for grant in union.officer_grants if grant.user.username == username),
            None,
        )

    # ----- export -----

    def export_queryset(self, actor):
        return (
            Union.objects.visible_to(actor)
            .select_related("federation")
            .prefetch_related(covered_organizations(), officer_grants())
            .order_by("federation__path", "name", "id")
        )

    def export_values(self, instance) -> dict:
        officer = instance.officer_grants[0].user if instance.officer_grants else None
        return {
            "name": instance.name,
            "federation": instance.federation.name,
            "organizations": tuple(sorted(o.credit_code for o in instance.organizations.all())),
            "is_joint": instance.is_joint,
            "founded_on": instance.founded_on,
            "chair_name": instance.chair_name,
            "member_count": instance.member_count,
            "status": instance.status,
            "chair_username": officer.username if officer else "",
            "chair_phone": officer.phone if officer else "",
        }

    # ----- writing -----

    def apply(self, plans, *, actor) -> list[dict]:
        federations = federations_by_name(actor)
        written = [plan for plan in plans if plan.action in ("create", "update")]
        organizations = organizations_by_code(
            code for plan in written for code in plan.values["organizations"]
        )
        users = users_by_username(
            plan.values["chair_username"] for plan in written if plan.values.get("chair_username")
        )
        accounts: list[dict] = []
        for plan in written:
            values = plan.values
            fields = {
                "name": values["name"],
                "federation": federations[values["federation"]],
                "is_joint": values.get("is_joint") or False,
                "founded_on": values.get("founded_on"),
                "chair_name": values.get("chair_name") or "",
                "member_count": values.get("member_count") or 0,
                "status": values.get("status") or UnionStatus.ACTIVE,
            }
            covered = [organizations[code] for code in values["organizations"]]
            if plan.action == "create":
                union = org_services.create_union(organizations=covered, **fields)
            else:
                union = plan.instance
                org_services.update_union(union=union, organizations=covered, **fields)
            if values.get("chair_username"):
                account = self._give_chair_account(plan, union, users)
                if account is not None:
                    accounts.append(account)
        return accounts

    def _give_chair_account(self, plan: RowPlan, union: Union, users: dict) -> dict | None:
        """The officer role for the chair's account, created with a one-time password when it
        does not exist (check() has refused accounts outside the actor's subtree)."""
        values = plan.values
        username, phone = values["chair_username"], values.get("chair_phone") or ""
        user = users.get(username)
        if user is None:
            password = account_services.generate_one_time_password()
            user = account_services.create_account_with_role(
                username=username,
                password=password,
                role=Role.UNION_OFFICER,
                full_name=values.get("chair_name") or "",
                union=union,
                must_change_password=True,
            )
            if phone:
                user.phone = phone
                user.save(update_fields=["phone"])
            users[username] = user  # a later row may name the same chair for another union
            return {"row": plan.row, "username": username, "password": password}
        RoleGrant.objects.get_or_create(user=user, role=Role.UNION_OFFICER, union=union)
        if phone and user.phone != phone:
            user.phone = phone
            user.save(update_fields=["phone"])
        return None


register(UnionKind())
