"""Organizations (两新组织), identified by their unified social credit code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from stdnum.cn import uscc

from zhidao.accounts.scope import scope_of
from zhidao.core.text import pinyin_full, pinyin_initials
from zhidao.figures.signals import note as figures_note
from zhidao.orgs import divisions
from zhidao.orgs.models import (
    Federation,
    Industry,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    OrganizationSubKind,
)
from zhidao.orgs.validators import make_credit_code, validate_credit_code

from . import register
from .base import Column, ImportKind, RowError, RowPlan
from .columns import choice_column, decimal_column, int_column

WRITE_CHUNK = 2000
# A valid code (its check character computed) that no real organization holds.
EXAMPLE_CREDIT_CODE = make_credit_code("91430302MA4L0AB3C")
UPDATED_FIELDS = [
    "name",
    "name_initials",
    "name_pinyin",
    "kind",
    "sub_kind",
    "industry",
    "federation",
    "district",
    "address",
    "latitude",
    "longitude",
    "employee_count",
    "status",
    "updated_at",
]


def parse_credit_code(text: str) -> str:
    code = uscc.compact(text).upper()
    validate_credit_code(code)
    return code


def federations_by_name(actor) -> dict[str, Federation]:
    """The federations the actor administers, by full and short name."""
    found: dict[str, Federation] = {}
    for federation in Federation.objects.visible_to(actor, "change").only(
        "pk", "name", "short_name", "path", "region_code"
    ):
        found.setdefault(federation.name, federation)
        if federation.short_name:
            found.setdefault(federation.short_name, federation)
    return found


def unknown_federation(row: int, header, name: str) -> RowError:
    return RowError(
        row,
        str(header),
        _("No federation named “%(name)s” is within the federations you administer.")
        % {"name": name},
    )


class OrganizationKindOfImport(ImportKind):
    key = "organizations"
    label = pgettext_lazy("import kind", "Organizations")
    identity_columns = ("credit_code",)
    columns = (
        Column(
            "name",
            gettext_lazy("Organization name"),
            required=True,
            help=gettext_lazy("The registered name, as on the business licence."),
            example="湘潭示例科技有限公司",
        ),
        Column(
            "credit_code",
            gettext_lazy("Unified social credit code"),
            required=True,
            codes=True,
            parse=parse_credit_code,
            help=gettext_lazy(
                "18 characters (GB 32100-2015); its check character is verified. It identifies "
                "the organization: a row with a code already in zhidao updates that organization."
            ),
            example=EXAMPLE_CREDIT_CODE,
            width=24,
        ),
        choice_column(
            "kind",
            pgettext_lazy("organization", "Kind"),
            OrganizationKind.choices,
            required=True,
            help=gettext_lazy("New economic or new social organization."),
            example=str(OrganizationKind.NEW_ECONOMIC.label),
        ),
        choice_column(
            "sub_kind",
            gettext_lazy("Sub-kind"),
            OrganizationSubKind.choices,
            required=True,
            help=gettext_lazy("Must belong to the kind (e.g. a law firm is a new social one)."),
            example=str(OrganizationSubKind.PRIVATE_ENTERPRISE.label),
        ),
        choice_column(
            "industry",
            gettext_lazy("Industry"),
            Industry.choices,
            required=True,
            help=gettext_lazy("GB/T 4754-2017 section."),
            example=str(Industry.C.label),
        ),
        Column(
            "federation",
            gettext_lazy("Owning federation"),
            required=True,
            help=gettext_lazy(
                "The federation the organization belongs to, by its name (湘潭市总工会) or short "
                "name; it must be one you administer."
            ),
            example="雨湖区总工会",
        ),
        Column(
            "district",
            gettext_lazy("District"),
            help=gettext_lazy(
                "The county or district (雨湖区), a division of the federation's region or the "
                "name of a federation you administer (湘潭高新区)."
            ),
            example="雨湖区",
        ),
        Column("address", gettext_lazy("Address"), example="湘潭市雨湖区示例路1号"),
        decimal_column(
            "latitude", gettext_lazy("Latitude"), places=6, minimum=-90, maximum=90, example=""
        ),
        decimal_column(
            "longitude", gettext_lazy("Longitude"), places=6, minimum=-180, maximum=180, example=""
        ),
        int_column("employee_count", gettext_lazy("Number of employees"), blank=0, example="120"),
        choice_column(
            "status",
            gettext_lazy("Status"),
            OrganizationStatus.choices,
            blank=OrganizationStatus.ACTIVE,
            help=gettext_lazy("Empty means operating."),
            example=str(OrganizationStatus.ACTIVE.label),
        ),
    )

    def identity(self, values):
        return values.get("credit_code")

    def prepare(self, plans, *, actor) -> dict:
        federations = federations_by_name(actor)
        districts = set(
            Organization.objects.visible_to(actor, "change")
            .exclude(district="")
            .values_list("district", flat=True)
            .distinct()
        )
        for federation in federations.values():
            districts.add(federation.name.removesuffix("总工会"))
            division = divisions.get(federation.region_code) if federation.region_code else None
            if division is not None:
                districts.update(d.name for d in divisions.subtree(division))
        return {"federations": federations, "districts": districts}

    def check(self, plan: RowPlan, *, actor, context: dict) -> None:
        values = plan.values
        if "federation" in values and values["federation"] not in context["federations"]:
            plan.errors.append(
                unknown_federation(plan.row, self.column("federation").header, values["federation"])
            )
        district = values.get("district")
        if district and district not in context["districts"]:
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("district").header),
                    _("“%(name)s” is not a county or district of your federations' regions.")
                    % {"name": district},
                )
            )
        if "kind" in values and "sub_kind" in values:
            probe = Organization(
                kind=values["kind"],
                sub_kind=values["sub_kind"],
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
            )
            try:
                probe.clean()
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    header = self.column(field_name).header if field_name != "__all__" else ""
                    plan.errors.extend(RowError(plan.row, str(header), m) for m in messages)

    def existing(self, identities, *, actor):
        rows = (
            Organization.objects.unscoped()
            .filter(credit_code__in=identities)
            .select_related("federation")
        )
        return {organization.credit_code: organization for organization in rows}

    def check_instance(self, plan: RowPlan, *, actor, context: dict) -> None:
        organization = plan.instance
        if not scope_of(actor).can_administer_path(organization.federation.path) and not (
            scope_of(actor).is_superuser
        ):
            plan.errors.append(
                RowError(
                    plan.row,
                    str(self.column("credit_code").header),
                    _(
                        "An organization with this credit code is already registered by "
                        "%(federation)s, outside the federations you administer."
                    )
                    % {"federation": organization.federation.name},
                )
            )

    def export_queryset(self, actor):
        return (
            Organization.objects.visible_to(actor)
            .select_related("federation")
            .order_by("federation__path", "name", "id")
        )

    def export_values(self, instance) -> dict:
        return {
            "name": instance.name,
            "credit_code": instance.credit_code,
            "kind": instance.kind,
            "sub_kind": instance.sub_kind,
            "industry": instance.industry,
            "federation": instance.federation.name,
            "district": instance.district,
            "address": instance.address,
            "latitude": instance.latitude,
            "longitude": instance.longitude,
            "employee_count": instance.employee_count,
            "status": instance.status,
        }

    def _fields(self, plan: RowPlan, federations) -> dict:
        values = plan.values
        return {
            "name": values["name"],
            "name_initials": pinyin_initials(values["name"]),
            "name_pinyin": pinyin_full(values["name"]),
            "credit_code": values["credit_code"],
            "kind": values["kind"],
            "sub_kind": values["sub_kind"],
            "industry": values["industry"],
            "federation": federations[values["federation"]],
            "district": values.get("district") or "",
            "address": values.get("address") or "",
            "latitude": values.get("latitude"),
            "longitude": values.get("longitude"),
            "employee_count": values.get("employee_count") or 0,
            "status": values.get("status") or OrganizationStatus.ACTIVE,
        }

    def apply(self, plans, *, actor) -> list[dict]:
        federations = federations_by_name(actor)
        now = timezone.now()
        new = [
            Organization(**self._fields(plan, federations), created_at=now, updated_at=now)
            for plan in plans
            if plan.action == "create"
        ]
        Organization.objects.bulk_create(new, batch_size=WRITE_CHUNK)
        # Bulk writes send no signals: tell the figures what the rows change once they commit
        # (the federations' coverage; the rows of an organization moved to another federation).
        touched = {organization.federation_id for organization in new}
        changed = []
        for plan in plans:
            if plan.action != "update":
                continue
            organization = plan.instance
            before = (organization.federation_id, organization.status)
            for name, value in self._fields(plan, federations).items():
                setattr(organization, name, value)
            organization.updated_at = now
            changed.append(organization)
            if before != (organization.federation_id, organization.status):
                touched.update((before[0], organization.federation_id))
            if before[0] != organization.federation_id:
                figures_note("organization", organization.pk)
        Organization.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=WRITE_CHUNK)
        for federation_id in sorted(touched):
            figures_note("federation", federation_id)
        return []


register(OrganizationKindOfImport())
