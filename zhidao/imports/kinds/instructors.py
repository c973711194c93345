"""Instructors (工会指导员) with their login accounts, identified by the login account when the
row gives one, else by the phone number.

The Instructor model holds no ID card number: an 18-digit 居民身份证号 is personal data that would
need encryption and a keyed hash to be looked up, for a person whom the federation already
knows by work account and work phone. The phone is encrypted at rest (EncryptedCharField) and
cannot be matched in SQL: the actor's instructors are loaded once and matched in Python.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from pypinyin import lazy_pinyin

from zhidao.accounts.models import User
from zhidao.accounts.services import generate_one_time_password
from zhidao.dispatch import services as dispatch_services
from zhidao.dispatch.models import Instructor, InstructorStatus

from . import register
from .base import LOOKUP_CHUNK, Column, ImportKind, RowError, RowPlan
from .columns import choice_column, phone_column, username_column
from .organizations import federations_by_name, unknown_federation
from .unions import administers, users_by_username

BY_USERNAME = "username"
BY_PHONE = "phone"


def instructors_by_phone(actor) -> dict[str, Instructor]:
    """The actor's instructors by their (decrypted) phone: the phone column is encrypted, so
    this reads the subtree's instructors, hundreds, and matches in Python."""
    found: dict[str, Instructor] = {}
    rows = (
        Instructor.objects.visible_to(actor, "change")
        .exclude(phone="")
        .select_related("user", "federation")
        .order_by("id")
    )
    for instructor in rows:
        found.setdefault(instructor.phone, instructor)
    return found


def pinyin_base(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name)).lower())[:30] or "instructor"


def accounts_like(bases) -> set[str]:
    """The usernames starting with any of the bases (one query for the whole file)."""
    condition = Q()
    for base in set(bases):
        condition |= Q(username__startswith=base)
    return set(User.objects.filter(condition).values_list("username", flat=True))


def username_for(name: str, taken: set[str]) -> str:
    """A login account for a new instructor the row gives none for: the name's pinyin
    (欧阳新建 → ouyangxinjian), numbered when taken."""
    base = pinyin_base(name)
    username, number = base, 1
    while username in taken:
        number += 1
        username = f"{base}{number}"
    taken.add(username)
    return username


class InstructorKind(ImportKind):
    key = "instructors"
    label = pgettext_lazy("import kind", "Instructors")
    identity_columns = ("username", "phone")
    columns = (
        Column(
            "name",
            pgettext_lazy("import column", "Name"),
            required=True,
            example="李示例",
        ),
        Column(
            "federation",
            gettext_lazy("Owning federation"),
            required=True,
            help=gettext_lazy(
                "The federation the instructor works for, by its name (湘潭市总工会) or short "
                "name; it must be one you administer."
            ),
            example="雨湖区总工会",
        ),
        Column(
            "department",
            pgettext_lazy("import column", "Department"),
            help=gettext_lazy("The department of the federation, e.g. 基层工作部."),
            example="基层工作部",
        ),
        Column("title", pgettext_lazy("import column", "Position"), example="一级科员"),
        phone_column(
            "phone",
            pgettext_lazy("import column", "Mobile phone"),
            blank_keeps=True,
            help=gettext_lazy(
                "A mobile number (11 digits) or a landline with its area code. Without a login "
                "account it identifies the instructor. Empty leaves the phone as it is."
            ),
            example="13912345678",
        ),
        username_column(
            "username",
            pgettext_lazy("import column", "Login account"),
            blank_keeps=True,
            help=gettext_lazy(
                "The account the instructor logs in with; it identifies the instructor. A new "
                "instructor gets a new account with a one-time password (shown once, after the "
                "import); empty makes one from the name's pinyin. An existing account must be "
                "an instructor's of your federations."
            ),
            example="lishili",
        ),
        choice_column(
            "status",
            pgettext_lazy("import column", "Status"),
            InstructorStatus.choices,
            blank=InstructorStatus.ACTIVE,
            help=gettext_lazy("Empty means active."),
            example=str(InstructorStatus.ACTIVE.label),
        ),
    )

    def identity(self, values) -> Any:
        if values.get("username"):
            return (BY_USERNAME, values["username"])
        if values.get("phone"):
            return (BY_PHONE, values["phone"])
        return None

    # ----- checking -----

    def prepare(self, plans, *, actor) -> dict:
        usernames = [plan.values["username"] for plan in plans if plan.values.get("username")]
        return {
            "federations": federations_by_name(actor),
            "users": users_by_username(usernames),
            "by_phone": instructors_by_phone(actor),
        }

    def check(self, plan: RowPlan, *, actor, context: dict) -> None:
        values = plan.values
        if "federation" in values and values["federation"] not in context["federations"]:
            plan.errors.append(
                unknown_federation(plan.row, self.column("federation").header, values["federation"])
            )
        username, phone = values.get("username"), values.get("phone")
        username_header = str(self.column("username").header)
        if not username and not phone and "username" in values and "phone" in values:
            plan.errors.append(
                RowError(
                    plan.row,
                    username_header,
                    _(
                        "Give the login account or the mobile phone: one of them identifies "
                        "the instructor."
                    ),
                )
            )
        user = context["users"].get(username) if username else None
        if user is not None and getattr(user, "instructor", None) is None:
            plan.errors.append(
                RowError(
                    plan.row,
                    username_header,
                    _(
                        "The login account “%(username)s” is taken by an account that is no "
                        "instructor's; choose another one."
                    )
                    % {"username": username},
                )
            )
        holder = context["by_phone"].get(phone) if phone else None
        if username and user is None and holder is not None:
            # A new account for a phone already on file would make the same person twice.
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("phone").header),
                    _(
                        "This phone number is already that of the instructor %(name)s (login "
                        "account “%(username)s”): write that account, or leave it empty."
                    )
                    % {"name": holder.name, "username": holder.user.username},
                )
            )

    def existing(self, identities, *, actor) -> dict:
        usernames = [value for by, value in identities if by == BY_USERNAME]
        found: dict[Any, Instructor] = {}
        for start in range(0, len(usernames), LOOKUP_CHUNK):
            rows = (
                Instructor.objects.unscoped()
                .filter(user__username__in=usernames[start : start + LOOKUP_CHUNK])
                .select_related("user", "federation")
            )
            found.update(((BY_USERNAME, i.user.username), i) for i in rows)
        if any(by == BY_PHONE for by, _value in identities):
            found.update(
                ((BY_PHONE, phone), instructor)
                for phone, instructor in instructors_by_phone(actor).items()
            )
        return found

    def check_instance(self, plan: RowPlan, *, actor, context: dict) -> None:
        instructor = plan.instance
        if not administers(actor, instructor.federation.path):
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("username").header),
                    _(
                        "The login account “%(username)s” is an instructor's of %(federation)s, "
                        "outside the federations you administer."
                    )
                    % {
                        "username": instructor.user.username,
                        "federation": instructor.federation.name,
                    },
                )
            )

    # ----- export -----

    def export_queryset(self, actor):
        return (
            Instructor.objects.visible_to(actor)
            .select_related("user", "federation")
            .order_by("federation__path", "name", "id")
        )

    def export_values(self, instance) -> dict:
        return {
            "name": instance.name,
            "federation": instance.federation.name,
            "department": instance.department,
            "title": instance.title,
            "phone": instance.phone,
            "username": instance.user.username,
            "status": instance.status,
        }

    # ----- writing -----

    def apply(self, plans, *, actor) -> list[dict]:
        federations = federations_by_name(actor)
        accounts: list[dict] = []
        unnamed = [p for p in plans if p.action == "create" and not p.values.get("username")]
        taken = accounts_like(pinyin_base(p.values["name"]) for p in unnamed) if unnamed else set()
        # …and past the accounts the file itself names, made further down.
        taken.update(p.values["username"] for p in plans if p.values.get("username"))
        for plan in plans:
            values = plan.values
            fields = {
                "name": values["name"],
                "federation": federations[values["federation"]],
                "department": values.get("department") or "",
                "title": values.get("title") or "",
                "status": values.get("status") or InstructorStatus.ACTIVE,
            }
            if values.get("phone"):
                fields["phone"] = values["phone"]
            if plan.action == "create":
                username = values.get("username") or username_for(values["name"], taken)
                password = generate_one_time_password()
                dispatch_services.create_instructor_with_account(
                    username=username, password=password, **fields
                )
                accounts.append({"row": plan.row, "username": username, "password": password})
            elif plan.action == "update":
                dispatch_services.update_instructor(instructor=plan.instance, **fields)
        return accounts


register(InstructorKind())
