"""The audit log pages: changes to records, and access events (logins, exports). Their exports
are the lists of audit/exports.py."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from zhidao.core.pagination import keyset_page
from zhidao.core.permissions import permission_required

from . import selectors
from .display import describe_entries
from .forms import AccessEventFilterForm, LogEntryFilterForm
from .models import AuditArchive
from .retention import retention_rules


def _filtered_entries(request):
    form = LogEntryFilterForm(request.GET)
    entries = selectors.filter_log_entries(
        selectors.log_entries_visible_to(request.user), **form.filters()
    )
    return form, entries


def _filtered_events(request):
    form = AccessEventFilterForm(request.GET)
    events = selectors.filter_access_events(
        selectors.access_events_visible_to(request.user), **form.filters()
    )
    return form, events


def _list_page(request, *, tab: str, form, queryset, search_placeholder: str, describe=None):
    # Both logs reach millions of rows: pages by keyset, in the selectors' order (time, then id,
    # newest first), served by the indexes auditlog_logentry_list_order and access_event_time.
    page_obj = keyset_page(request, queryset)
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "search_placeholder": search_placeholder,
        "tab": tab,
        "export_key": "audit-log" if tab == "entry" else "access-events",
    }
    if describe is not None:
        context["rows"] = describe(page_obj.object_list)
    return render(request, f"audit/{tab}_list.html", context)


@permission_required("audit.view_logentry")
def entry_list(request):
    form, entries = _filtered_entries(request)
    return _list_page(
        request,
        tab="entry",
        form=form,
        queryset=entries,
        search_placeholder=_("Actor's name or username"),
        describe=describe_entries,
    )


@permission_required("audit.view_accessevent")
def access_list(request):
    form, events = _filtered_events(request)
    return _list_page(
        request,
        tab="access",
        form=form,
        queryset=events,
        search_placeholder=_("Name or username"),
    )


@permission_required("audit.view_retention")
def retention(request):
    """Every retention period in force, read from the settings the tasks apply."""
    rules = [(rule, rule.days()) for rule in retention_rules()]
    last_archive = AuditArchive.objects.order_by("-last_seq").first()
    archived = last_archive.log_entries + last_archive.access_events if last_archive else 0
    context = {"rules": rules, "last_archive": last_archive, "archived": archived}
    return render(request, "audit/retention.html", context)
