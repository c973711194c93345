"""Turns django-auditlog entries into readable rows: "field: old → new" with verbose names.

auditlog's own `changes_display_dict` looks each foreign key up with one query per value;
here the related objects of a whole page are fetched with one query per related model.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit action", "Created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit action", "Updated"),
    LogEntry.Action.DELETE: pgettext_lazy("audit action", "Deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit action", "Viewed"),
}
TRUNCATE_AT = 140
_EMPTY = ("", "None")


@dataclass
class ChangeLine:
    label: str
    old: str = ""
    new: str = ""
    text: str = ""  # many-to-many changes: "added: A, B"
    # "both" for an update; a new record shows only its values, a deleted one its last values.
    side: str = "both"

    def __str__(self) -> str:
        if self.text:
            return f"{self.label}: {self.text}"
        if self.side == "new":
            return f"{self.label}: {self.new}"
        if self.side == "old":
            return f"{self.label}: {self.old}"
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class EntryRow:
    entry: LogEntry
    action_label: str
    model_label: str
    changes: list[ChangeLine] = field(default_factory=list)

    @property
    def changes_text(self) -> str:
        return "；".join(str(line) for line in self.changes)


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_relation(model_field) -> bool:
    return isinstance(model_field, models.ForeignKey | models.OneToOneField)


def _related_objects(entries: list[LogEntry]) -> dict:
    """{related model: {pk: str(object)}} for every foreign key value the entries mention."""
    wanted: dict = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            model_field = _model_field(model, name)
            if not _is_relation(model_field) or not isinstance(values, list | tuple):
                continue
            for value in values:
                if str(value) not in _EMPTY:
                    try:
                        wanted[model_field.related_model].add(
                            model_field.related_model._meta.pk.to_python(value)
                        )
                    except Exception:  # noqa: BLE001,S112  a legacy value that is not a pk
                        continue
    return {
        related: {pk: str(obj) for pk, obj in related._base_manager.in_bulk(pks).items()}
        for related, pks in wanted.items()
    }


def _format_value(model_field, value, related: dict) -> str:
    text = "" if value is None else str(value)
    if text in _EMPTY:
        return "—"
    if model_field is None:
        return text[:TRUNCATE_AT]
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(text, text))
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if text == "True" else _("No")
    if _is_relation(model_field):
        try:
            pk = model_field.related_model._meta.pk.to_python(text)
        except Exception:  # noqa: BLE001
            return text[:TRUNCATE_AT]
        name = related.get(model_field.related_model, {}).get(pk)
        return name if name is not None else _("(deleted, #%(pk)s)") % {"pk": text}
    if isinstance(model_field, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_naive(moment):
            # auditlog stores date-times as naive UTC.
            moment = moment.replace(tzinfo=UTC)
        return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")
    return text[:TRUNCATE_AT] + ("…" if len(text) > TRUNCATE_AT else "")


def _m2m_text(model_field, change: dict) -> str:
    objects = "、".join(str(o) for o in change.get("objects", []))
    operation = change.get("operation")
    if operation == "add":
        return _("added %(objects)s") % {"objects": objects}
    if operation == "delete":
        return _("removed %(objects)s") % {"objects": objects}
    return _("cleared")


def _is_bookkeeping(model_field) -> bool:
    """Ids, timestamps, tree paths, search initials and reverse relations: not changes."""
    if not getattr(model_field, "concrete", False):
        return True
    return model_field.primary_key or not model_field.editable


def _label(model_field, name: str) -> str:
    if model_field is None:
        return name
    label = getattr(model_field, "verbose_name", name)
    if _is_relation(model_field) and label == name.replace("_", " "):
        # A foreign key declared without a verbose name: the related model's name says it.
        label = model_field.related_model._meta.verbose_name
    return str(label)


_SIDES = {LogEntry.Action.CREATE: "new", LogEntry.Action.DELETE: "old"}


def _field_order(model) -> dict[str, int]:
    if model is None:
        return {}
    return {f.name: index for index, f in enumerate(model._meta.get_fields())}


def describe_entries(entries) -> list[EntryRow]:
    entries = list(entries)
    related = _related_objects(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        model_label = str(model._meta.verbose_name) if model else entry.content_type.model
        side = _SIDES.get(entry.action, "both")
        order = _field_order(model)
        changes = []
        for name, values in sorted(
            (entry.changes_dict or {}).items(), key=lambda item: order.get(item[0], len(order))
        ):
            model_field = _model_field(model, name)
            if model_field is not None and _is_bookkeeping(model_field):
                continue
            label = _label(model_field, name)
            if isinstance(values, dict):
                changes.append(ChangeLine(label=label, text=_m2m_text(model_field, values)))
            elif isinstance(values, list | tuple) and len(values) == 2:
                line = ChangeLine(
                    label=label,
                    old=_format_value(model_field, values[0], related),
                    new=_format_value(model_field, values[1], related),
                    side=side,
                )
                # A new record's empty fields, or a deleted one's, say nothing.
                if (side == "new" and line.new == "—") or (side == "old" and line.old == "—"):
                    continue
                changes.append(line)
        rows.append(
            EntryRow(
                entry=entry,
                action_label=str(ACTION_LABELS.get(entry.action, entry.action)),
                model_label=model_label,
                changes=changes,
            )
        )
    return rows
