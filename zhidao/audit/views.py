"""The audit log pages: changes to records, and access events (logins, exports)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required

from . import exports, selectors
from .display import describe_entries
from .forms import AccessEventFilterForm, LogEntryFilterForm
from .models import AccessEventKind
from .services import record_access_event


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
    page_obj = paginate(request, queryset)
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "search_placeholder": search_placeholder,
        "tab": tab,
        "export_url": reverse(f"audit:{tab}_export"),
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


def _xlsx_response(request, *, what: str, filename: str, header, rows) -> HttpResponse:
    content, count = exports.build_workbook(title=what, header=header, rows=rows)
    query = request.GET.urlencode()
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=_("%(what)s: %(count)s rows") % {"what": what, "count": count}
        + (f" ({query})" if query else ""),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


@permission_required("audit.view_logentry")
def entry_export(request):
    _form, entries = _filtered_entries(request)
    return _xlsx_response(
        request,
        what=_("Audit log"),
        filename="audit-log",
        header=exports.log_entry_header(),
        rows=exports.log_entry_rows(entries),
    )


@permission_required("audit.view_accessevent")
def access_export(request):
    _form, events = _filtered_events(request)
    return _xlsx_response(
        request,
        what=_("Access events"),
        filename="access-events",
        header=exports.access_event_header(),
        rows=exports.access_event_rows(events),
    )
