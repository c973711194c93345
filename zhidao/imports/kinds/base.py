"""What every import kind is made of, and the checking every kind shares.

A kind (federations, organizations, unions, instructors, assignments) declares its columns and
four things only it knows:

- `identity(values)`: the key that says which record a row is (the credit code of an
  organization, the organization of its union, the ID/phone or username of an instructor);
- `existing(identities, actor)`: those records, in one query per chunk, as a dict by identity;
- `prepare(plans, actor)` and `check(plan, actor, context)`: cross-column and database rules
  of one row (an end date before a start date, an unknown federation, a federation outside
  the actor's subtree), as RowErrors, and `check_instance` for the record found (one in
  another subtree may not be taken);
- `apply(plans, actor)`: the writes, in bulk; called by the service inside one transaction only
  when no row has an error, so a file is imported whole or not at all. It returns the login
  accounts it created with their one-time passwords (unions' chairs, instructors), [] if none.

`plan()` does the rest in the same order for every kind: clean each cell (reporting what the
cleaning changed), parse it with its column, flag identities repeated inside the file, look the
records up, compare the row with what `export_values()` gives for the record, and classify it as
create, update or unchanged. An export writes `export_values()` under the same headers, so an
exported file re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from ..cleaning import clean_text
from ..reading import SourceRow

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"

# Existing records are looked up this many identities at a time (SQLite's variable limit).
LOOKUP_CHUNK = 900


def parse_text(text: str) -> str:
    return text


@dataclass(frozen=True)
class Column:
    """One column of the template, the import and the export.

    `parse` turns the cleaned text into the value the kind writes, raising ValidationError with a
    Chinese message; `format` turns a value back into the text an export writes (the default is
    str()). `choices` (value, label) make a drop-down in the template; the label is what the
    sheet holds. `codes` columns have every space removed, not only the outer ones.
    """

    key: str
    header: Any  # a lazy translation: the Chinese column name
    required: bool = False
    help: Any = ""
    example: str = ""
    choices: Sequence[tuple[str, Any]] = ()
    parse: Callable[[str], Any] = parse_text
    format: Callable[[Any], str] | None = None
    codes: bool = False
    exported: bool = True  # a password column is imported, never exported or compared
    blank: Any = ""  # the value of an empty optional cell
    # An empty cell leaves the record's value as it is: it is not compared with the record
    # (a chair's phone, an assignment's dates that default from the batch).
    blank_keeps: bool = False
    width: int = 0  # template column width in Excel units; 0: from the header and example

    def to_text(self, value) -> str:
        if value is None:
            return ""
        if self.format is not None:
            return self.format(value)
        return str(value)


@dataclass
class RowError:
    row: int
    column: str  # the column's Chinese header, "" for the row (or the file) as a whole
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Cleaning:
    column: str
    before: str
    after: str


@dataclass
class RowPlan:
    row: int
    action: str = CREATE
    values: dict[str, Any] = field(default_factory=dict)  # parsed values by column key
    texts: dict[str, str] = field(default_factory=dict)  # the cleaned texts, as the preview shows
    instance: Model | None = None
    changes: list[str] = field(default_factory=list)  # column keys an update changes
    cleanings: list[Cleaning] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPlan:
    kind: str
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> dict:
        """The API's answer (issue 11): created, updated, unchanged and errors."""
        return {
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "errors": [error.as_dict() for error in self.errors],
        }


class ImportKind:
    key: str = ""
    label: Any = ""  # 两新组织 — also the template's and the export's file name
    columns: Sequence[Column] = ()
    # The field that names the identity's column in "duplicate inside the file" messages.
    identity_columns: Sequence[str] = ()

    # ----- what each kind writes -----

    def identity(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def existing(self, identities: list[Any], *, actor) -> dict[Any, Model]:
        raise NotImplementedError

    def check(self, plan: RowPlan, *, actor, context: dict) -> None:
        """Append RowErrors to plan.errors for rules across columns or against the database.
        Called for every row, also one with errors already: a column whose cell did not parse
        (or a required one left empty) is missing from plan.values; checks needing it skip."""

    def check_instance(self, plan: RowPlan, *, actor, context: dict) -> None:
        """Append RowErrors when the record the row identifies may not be changed by the actor
        (it lies outside the actor's subtree: the identity is taken there)."""

    def prepare(self, plans: list[RowPlan], *, actor) -> dict:
        """Look up what `check` needs for all rows at once (federations by name …): a context."""
        return {}

    def apply(self, plans: list[RowPlan], *, actor) -> list[dict]:
        """The writes (see the module's docstring). Returns the login accounts it created, as
        {"row", "username", "password"} with the one-time password to hand over (the account
        must change it at the first login); the password is stored nowhere else. [] for a kind
        that creates no accounts."""
        raise NotImplementedError

    def export_queryset(self, actor) -> QuerySet:
        raise NotImplementedError

    def export_values(self, instance: Model) -> dict[str, Any]:
        """The record's values by column key, as `parse` would return them."""
        raise NotImplementedError

    # ----- shared -----

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def export_texts(self, instance: Model) -> dict[str, str]:
        values = self.export_values(instance)
        return {
            column.key: column.to_text(values.get(column.key))
            for column in self.columns
            if column.exported
        }

    def parse_row(self, source: SourceRow) -> RowPlan:
        plan = RowPlan(row=source.number)
        for column in self.columns:
            raw = source.values.get(column.key, "")
            text = clean_text(raw, keep_inner_spaces=not column.codes)
            if text != raw:
                plan.cleanings.append(Cleaning(column=str(column.header), before=raw, after=text))
            plan.texts[column.key] = text
            if not text:
                if column.required:
                    plan.errors.append(
                        RowError(source.number, str(column.header), _("This column is required."))
                    )
                if not column.required:
                    plan.values[column.key] = column.blank
                continue
            try:
                plan.values[column.key] = column.parse(text)
            except ValidationError as error:
                plan.values.pop(column.key, None)
                for message in error.messages:
                    plan.errors.append(RowError(source.number, str(column.header), message))
        return plan

    def plan(self, rows: Iterable[SourceRow], *, actor) -> ImportPlan:
        result = ImportPlan(kind=self.key)
        result.rows = [self.parse_row(source) for source in rows]
        if not result.rows:
            result.file_errors.append(RowError(0, "", _("The file has no data rows.")))
            return result
        self._flag_repeats(result.rows)
        context = self.prepare(result.rows, actor=actor)
        for row in result.rows:
            # Every row is checked, so that a row shows all its problems at once; a column that
            # did not parse is absent from row.values and its checks are left out.
            self.check(row, actor=actor, context=context)
        valid = [row for row in result.rows if not row.errors]
        identities = [self.identity(row.values) for row in valid]
        found: dict[Any, Model] = {}
        for start in range(0, len(identities), LOOKUP_CHUNK):
            found.update(self.existing(identities[start : start + LOOKUP_CHUNK], actor=actor))
        for row in result.rows:
            if row.errors:
                row.action = ERROR
                continue
            instance = found.get(self.identity(row.values))
            if instance is None:
                row.action = CREATE
                continue
            row.instance = instance
            self.check_instance(row, actor=actor, context=context)
            if row.errors:
                row.action = ERROR
                continue
            current = self.export_texts(instance)
            row.changes = [
                column.key
                for column in self.columns
                if column.exported
                and not (column.blank_keeps and not row.texts.get(column.key))
                and column.to_text(row.values.get(column.key)) != current.get(column.key, "")
            ]
            row.action = UPDATE if row.changes else UNCHANGED
        return result

    def _flag_repeats(self, rows: list[RowPlan]) -> None:
        first_row: dict[Any, int] = {}
        header = "、".join(str(self.column(key).header) for key in self.identity_columns)
        for row in rows:
            if row.errors:
                continue
            identity = self.identity(row.values)
            if identity is None:
                continue
            if identity in first_row:
                row.errors.append(
                    RowError(
                        row.row,
                        header,
                        _("The same %(column)s as row %(first)d of this file.")
                        % {"column": header, "first": first_row[identity]},
                    )
                )
            else:
                first_row[identity] = row.row
