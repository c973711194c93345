"""The audit pages' lists as exports (zhidao/core/exports.py): what the filter form of the page
selects, for the audit role."""

from collections.abc import Iterator
from itertools import islice

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.exports import CHUNK_SIZE, Column, ListExport, register

from . import selectors
from .display import describe_entries
from .forms import AccessEventFilterForm, LogEntryFilterForm


class _EntryFilters:
    """The page's filter form, in the shape of a FilterSet (`.qs`)."""

    def __init__(self, data, *, queryset, request=None) -> None:
        self.qs = selectors.filter_log_entries(queryset, **LogEntryFilterForm(data).filters())


class _EventFilters:
    def __init__(self, data, *, queryset, request=None) -> None:
        self.qs = selectors.filter_access_events(queryset, **AccessEventFilterForm(data).filters())


def _entry_rows(user, entries, columns) -> Iterator[list]:
    """describe_entries reads a page of entries at once (their content types and the names the
    changes refer to): rows are described a chunk at a time."""
    stream = entries.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(stream, CHUNK_SIZE)):
        for row in describe_entries(chunk):
            yield [column.value(row) for column in columns]


register(
    ListExport(
        key="audit-log",
        title=_("Audit log"),
        permission="audit.view_logentry",
        queryset=selectors.log_entries_visible_to,
        filterset_class=_EntryFilters,
        list_url="audit:entry_list",
        rows=_entry_rows,
        columns=[
            Column(_("Time"), lambda row: row.entry.timestamp),
            Column(_("Actor"), lambda row: str(row.entry.actor) if row.entry.actor else ""),
            Column(
                _("Username"),
                lambda row: row.entry.actor.get_username() if row.entry.actor else "",
            ),
            Column(_("IP address"), lambda row: row.entry.remote_addr or ""),
            Column(pgettext_lazy("audit filter", "Action"), lambda row: row.action_label),
            Column(_("Record type"), lambda row: row.model_label),
            Column(_("Object"), lambda row: row.entry.object_repr),
            Column(_("Changes"), lambda row: row.changes_text),
        ],
    )
)

register(
    ListExport(
        key="access-events",
        title=_("Access events"),
        permission="audit.view_accessevent",
        queryset=selectors.access_events_visible_to,
        filterset_class=_EventFilters,
        list_url="audit:access_list",
        columns=[
            Column(_("Time"), lambda event: event.created_at),
            Column(_("Event"), lambda event: event.get_kind_display()),
            Column(_("User"), lambda event: str(event.user) if event.user else ""),
            Column(_("Username"), lambda event: event.username),
            Column(_("IP address"), lambda event: event.ip_address or ""),
            Column(_("Detail"), lambda event: event.detail),
            Column(_("Browser"), lambda event: event.user_agent),
        ],
    )
)
