"""Federations (工会组织), identified by their GB/T 2260 division code, or by their name under
their parent when they have none (a development zone's federation).

A row's parent must be a federation the actor administers, or a federation created by an
earlier row of the same file (a new city and its districts in one sheet). The actor's own
outermost federation may be updated (its name, short name) but not moved: its parent lies
above the actor, and the row must name it as it is.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhidao.accounts.scope import scope_of
from zhidao.orgs import divisions
from zhidao.orgs import services as org_services
from zhidao.orgs.models import Federation, FederationLevel

from . import register
from .base import CREATE, UPDATE, Column, ImportKind, ImportPlan, RowError, RowPlan
from .columns import choice_column

LEVEL_ORDER = [FederationLevel.PROVINCE, FederationLevel.CITY, FederationLevel.DISTRICT]


def parse_region_code(text: str) -> str:
    code = divisions.normalize_code(text)
    if divisions.get(code) is None:
        raise ValidationError(
            _("“%(code)s” is not an administrative division code of GB/T 2260.") % {"code": text}
        )
    return code


def _below(level: str, parent_level: str) -> bool:
    if level not in LEVEL_ORDER or parent_level not in LEVEL_ORDER:
        return True
    return LEVEL_ORDER.index(level) > LEVEL_ORDER.index(parent_level)


class FederationKindOfImport(ImportKind):
    key = "federations"
    label = pgettext_lazy("import kind", "Federations")
    identity_columns = ("region_code", "name")
    columns = (
        Column(
            "name",
            gettext_lazy("Federation name"),
            required=True,
            help=gettext_lazy("The full name, e.g. 雨湖区总工会."),
            example="湘潭示例区总工会",
        ),
        Column(
            "short_name",
            gettext_lazy("Short name"),
            help=gettext_lazy("Optional, e.g. 湘西州总工会."),
        ),
        choice_column(
            "level",
            pgettext_lazy("import column", "Level"),
            FederationLevel.choices,
            required=True,
            help=gettext_lazy("Province, city or county/district; below the parent's level."),
            example=str(FederationLevel.DISTRICT.label),
        ),
        Column(
            "parent",
            gettext_lazy("Parent federation"),
            help=gettext_lazy(
                "Required: the name of a federation you administer, or of one created by an "
                "earlier row of this file. Your own top federation keeps its parent as it is."
            ),
            example="湘潭市总工会",
        ),
        Column(
            "region_code",
            gettext_lazy("Administrative division code"),
            codes=True,
            parse=parse_region_code,
            help=gettext_lazy(
                "The six-digit GB/T 2260 code (430302); one federation per code. A row with a "
                "code already in zhidao updates that federation; without a code the name under "
                "its parent identifies it."
            ),
            example="",
            width=14,
        ),
    )

    def identity(self, values: dict[str, Any]) -> Any:
        if values.get("region_code"):
            return ("code", values["region_code"])
        if values.get("name"):
            return ("name", values.get("parent") or "", values["name"])
        return None

    def _identity_of(self, federation: Federation) -> Any:
        if federation.region_code:
            return ("code", federation.region_code)
        parent = federation.parent.name if federation.parent_id else ""
        return ("name", parent, federation.name)

    def prepare(self, plans, *, actor) -> dict:
        administered = list(Federation.objects.visible_to(actor, "change").select_related("parent"))
        by_name: dict[str, Federation] = {}
        for federation in administered:
            by_name.setdefault(federation.name, federation)
        scope = scope_of(actor)
        if scope.is_superuser:
            roots = [federation for federation in administered if federation.parent_id is None]
        else:
            roots = [f for f in administered if f.path in scope.admin_paths]
        return {
            "by_name": by_name,
            "roots": {self._identity_of(root): root for root in roots},
            "root_by_name": {root.name: root for root in roots},
            "in_file": {},  # name -> level of the rows creating a federation, in file order
        }

    def check(self, plan: RowPlan, *, actor, context: dict) -> None:
        values = plan.values
        parent_header = str(self.column("parent").header)
        name = values.get("name")
        parent_name = values.get("parent") or ""
        identity = self.identity(values)
        root = context["roots"].get(identity) if identity else None
        if root is None and name in context["root_by_name"] and not values.get("region_code"):
            root = context["root_by_name"][name]
        if root is not None:
            current = root.parent.name if root.parent_id else ""
            if parent_name != current:
                plan.errors.append(
                    RowError(
                        plan.row,
                        parent_header,
                        _(
                            "%(name)s is the top federation you administer: its parent "
                            "cannot be changed here (keep “%(parent)s”)."
                        )
                        % {"name": root.name, "parent": current or "—"},
                    )
                )
            return
        if not parent_name:
            plan.errors.append(RowError(plan.row, parent_header, _("This column is required.")))
        else:
            parent = context["by_name"].get(parent_name)
            parent_level = (
                parent.level if parent is not None else context["in_file"].get(parent_name)
            )
            if parent_level is None:
                plan.errors.append(
                    RowError(
                        plan.row,
                        parent_header,
                        _(
                            "No federation named “%(name)s” is within the federations you "
                            "administer (nor created by an earlier row of this file)."
                        )
                        % {"name": parent_name},
                    )
                )
            elif "level" in values and not _below(values["level"], parent_level):
                plan.errors.append(
                    RowError(
                        plan.row,
                        str(self.column("level").header),
                        _("The level must be below the parent federation's level."),
                    )
                )
        if name and name not in context["by_name"] and "level" in values:
            context["in_file"].setdefault(name, values["level"])

    def existing(self, identities, *, actor):
        codes = [identity[1] for identity in identities if identity and identity[0] == "code"]
        names = [identity[2] for identity in identities if identity and identity[0] == "name"]
        found: dict[Any, Federation] = {}
        rows = Federation.objects.unscoped().select_related("parent")
        for federation in rows.filter(region_code__in=codes):
            found[("code", federation.region_code)] = federation
        for federation in rows.filter(name__in=names):
            parent = federation.parent.name if federation.parent_id else ""
            found.setdefault(("name", parent, federation.name), federation)
        return found

    def check_instance(self, plan: RowPlan, *, actor, context: dict) -> None:
        federation = plan.instance
        scope = scope_of(actor)
        if scope.is_superuser or scope.can_administer_path(federation.path):
            parent = context["by_name"].get(plan.values.get("parent") or "")
            if parent is not None and parent.path.startswith(federation.path):
                plan.errors.append(
                    RowError(
                        plan.row,
                        str(self.column("parent").header),
                        _("A federation cannot be placed under itself."),
                    )
                )
            return
        plan.errors.append(
            RowError(
                plan.row,
                str(self.column("region_code").header),
                _("This federation (%(name)s) lies outside the federations you administer.")
                % {"name": federation.name},
            )
        )

    def plan(self, rows, *, actor) -> ImportPlan:
        result = super().plan(rows, actor=actor)
        # A new federation named like an existing one under the same parent is most likely that
        # one with a code added: say so rather than create a twin.
        creates = [row for row in result.rows if row.action == CREATE]
        if creates:
            names = {row.values["name"] for row in creates}
            twins = {
                (f.parent.name if f.parent_id else "", f.name): f
                for f in Federation.objects.unscoped()
                .select_related("parent")
                .filter(name__in=names)
            }
            for row in creates:
                twin = twins.get((row.values.get("parent") or "", row.values["name"]))
                if twin is not None:
                    row.errors.append(
                        RowError(
                            row.row,
                            str(self.column("name").header),
                            _(
                                "A federation of this name already exists under this parent "
                                "(division code “%(code)s”); give its code to update it."
                            )
                            % {"code": twin.region_code or "—"},
                        )
                    )
                    row.action = "error"
        return result

    def export_queryset(self, actor):
        return (
            Federation.objects.visible_to(actor, "change").select_related("parent").order_by("path")
        )

    def export_values(self, instance) -> dict:
        return {
            "name": instance.name,
            "short_name": instance.short_name,
            "level": instance.level,
            "parent": instance.parent.name if instance.parent_id else "",
            "region_code": instance.region_code,
        }

    def apply(self, plans, *, actor) -> list[dict]:
        by_name = {
            federation.name: federation
            for federation in Federation.objects.visible_to(actor, "change")
        }
        for plan in plans:
            values = plan.values
            parent = by_name.get(values.get("parent") or "")
            fields = {
                "name": values["name"],
                "short_name": values.get("short_name") or "",
                "level": values["level"],
                "region_code": values.get("region_code") or "",
            }
            if plan.action == CREATE:
                by_name[values["name"]] = org_services.create_federation(parent=parent, **fields)
            elif plan.action == UPDATE:
                federation = plan.instance
                if federation.parent_id and (parent is None or parent.pk == federation.parent_id):
                    parent = federation.parent  # kept: the root's, or an unchanged parent
                org_services.update_federation(federation=federation, parent=parent, **fields)
                by_name[federation.name] = federation
        return []


register(FederationKindOfImport())
