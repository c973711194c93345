"""Pages for federations, organizations and unions.

Each page declares its permission (orgs/rules.py): another scope's object is a 404, a role that
may see but not change it (a leader) gets a 403. Create and edit pages then start from the
`*_administered_by` selectors.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhidao.accounts.scope import scope_of
from zhidao.core.autocomplete import autocomplete_answer
from zhidao.core.filters import ListFilterSet
from zhidao.core.forms import add_service_error as _add_service_error
from zhidao.core.pagination import keyset_page, paginate
from zhidao.core.permissions import permission_required

from . import selectors, services
from .filters import FederationFilterSet, OrganizationFilterSet, UnionFilterSet
from .forms import FederationForm, OrganizationForm, UnionForm, base_depth
from .models import Federation, Organization, Union


def _save(request, form: forms.BaseForm, save):
    """Validate a POSTed form and save it through a service; None when it must be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(dict(form.cleaned_data))
    except ValidationError as error:
        _add_service_error(form, error)
        return None


def _is_admin(user) -> bool:
    scope = scope_of(user)
    return scope.is_federation_admin or scope.is_superuser


def _list_page(
    request,
    template: str,
    filterset: ListFilterSet,
    *,
    per_page=25,
    pages=paginate,
    with_counts=None,
):
    """Filter (the search box too), paginate (`pages`: by number, or keyset_page) and render a
    list; `with_counts(rows)` adds the page's own counts to its rows."""
    page_obj = pages(request, filterset.qs, per_page=per_page)
    if with_counts is not None:
        if not isinstance(page_obj.object_list, list):  # a numbered page's slice of the query
            page_obj.object_list = list(page_obj.object_list)
        with_counts(page_obj.object_list)
    context = {
        "page_obj": page_obj,
        "filter_form": filterset.bar,
        "can_create": _is_admin(request.user),
    }
    return render(request, template, context)


@dataclass(frozen=True)
class FormPages:
    """What the create and edit pages of one model say and where they lead."""

    list_name: str
    detail_name: str
    list_label: str
    new_title: str
    edit_title: str
    created: str
    saved: str
    subtitle: str = ""


def _form_page(request, pages: FormPages, form: forms.BaseForm, obj=None):
    back_url = reverse(pages.detail_name, args=[obj.pk]) if obj else reverse(pages.list_name)
    page = {
        "title": pages.edit_title if obj else pages.new_title,
        "subtitle": pages.subtitle,
        "list_label": pages.list_label,
        "list_url": reverse(pages.list_name),
        "back_url": back_url,
    }
    return render(request, "orgs/object_form.html", {"form": form, "object": obj, "page": page})


def _create_page(request, pages: FormPages, form: forms.BaseForm, create: Callable):
    created = _save(request, form, create)
    if created is None:
        return _form_page(request, pages, form)
    messages.success(request, pages.created % {"name": created})
    return redirect(pages.detail_name, pk=created.pk)


def _edit_page(request, pages: FormPages, form: forms.BaseForm, obj, update: Callable):
    if _save(request, form, update) is None:
        return _form_page(request, pages, form, obj)
    messages.success(request, pages.saved % {"name": obj})
    return redirect(pages.detail_name, pk=obj.pk)


FEDERATION_PAGES = FormPages(
    list_name="orgs:federation_list",
    detail_name="orgs:federation_detail",
    list_label=gettext_lazy("Federations"),
    new_title=gettext_lazy("New federation"),
    edit_title=gettext_lazy("Edit federation"),
    created=gettext_lazy("The federation %(name)s was created."),
    saved=gettext_lazy("The federation %(name)s was saved."),
    subtitle=gettext_lazy(
        "A subordinate federation must be at a lower level than its parent: province, then "
        "city, then county or district."
    ),
)
ORGANIZATION_PAGES = FormPages(
    list_name="orgs:organization_list",
    detail_name="orgs:organization_detail",
    list_label=gettext_lazy("Organizations"),
    new_title=gettext_lazy("New organization"),
    edit_title=gettext_lazy("Edit organization"),
    created=gettext_lazy("The organization %(name)s was created."),
    saved=gettext_lazy("The organization %(name)s was saved."),
)
UNION_PAGES = FormPages(
    list_name="orgs:union_list",
    detail_name="orgs:union_detail",
    list_label=gettext_lazy("Unions"),
    new_title=gettext_lazy("New union"),
    edit_title=gettext_lazy("Edit union"),
    created=gettext_lazy("The union %(name)s was created."),
    saved=gettext_lazy("The union %(name)s was saved."),
    subtitle=gettext_lazy(
        "A joint union (联合工会) may cover several small organizations; any other union "
        "covers one."
    ),
)


# --- Federations -------------------------------------------------------------------------


@permission_required("orgs.view_federation")
def federation_list(request):
    # Indent each row by its level below the user's own top federation.
    federations = selectors.federation_list(request.user).annotate(
        tree_level=F("depth") - base_depth(request.user)
    )
    filterset = FederationFilterSet(request.GET, queryset=federations, request=request)
    return _list_page(
        request,
        "orgs/federation_list.html",
        filterset,
        per_page=50,
        with_counts=selectors.count_in_subtrees,
    )


@permission_required("orgs.view_federation", Federation)
def federation_detail(request, pk: int):
    federation = get_object_or_404(selectors.federation_detail(request.user), pk=pk)
    children = list(selectors.federation_children(request.user, federation))
    selectors.count_in_subtrees([federation, *children])
    return render(
        request,
        "orgs/federation_detail.html",
        {
            "federation": federation,
            "children": children,
            "can_edit": request.user.has_perm("orgs.change_federation", federation),
        },
    )


@permission_required("orgs.add_federation")
def federation_create(request):
    parent_id = request.GET.get("parent", "")
    initial = {"parent": int(parent_id)} if parent_id.isdigit() else {}
    form = FederationForm(request.POST or None, user=request.user, initial=initial)
    return _create_page(
        request, FEDERATION_PAGES, form, lambda data: services.create_federation(**data)
    )


@permission_required("orgs.change_federation", Federation)
def federation_edit(request, pk: int):
    federation = get_object_or_404(
        selectors.federations_administered_by(request.user).select_related("parent"), pk=pk
    )
    # Forms work on a copy so that the service still sees the stored values and knows what
    # really changed.
    form = FederationForm(request.POST or None, user=request.user, instance=copy.copy(federation))
    return _edit_page(
        request,
        FEDERATION_PAGES,
        form,
        federation,
        lambda data: services.update_federation(federation=federation, **data),
    )


# --- Organizations -----------------------------------------------------------------------


@permission_required("orgs.view_organization")
def organization_list(request):
    organizations = selectors.organization_list(request.user)
    filterset = OrganizationFilterSet(request.GET, queryset=organizations, request=request)
    # A province holds 100,000 organizations: pages by keyset in the list's order (name, or a
    # search's ranking; the index org_name_id), the count stops at KEYSET_COUNT_CAP.
    return _list_page(request, "orgs/organization_list.html", filterset, pages=keyset_page)


@permission_required("orgs.view_organization", Organization)
def organization_detail(request, pk: int):
    organization = get_object_or_404(selectors.organization_detail(request.user), pk=pk)
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "organization": organization,
            "can_edit": request.user.has_perm("orgs.change_organization", organization),
        },
    )


@permission_required("orgs.add_organization")
def organization_create(request):
    form = OrganizationForm(request.POST or None, user=request.user)
    return _create_page(
        request, ORGANIZATION_PAGES, form, lambda data: services.create_organization(**data)
    )


@permission_required("orgs.change_organization", Organization)
def organization_edit(request, pk: int):
    organization = get_object_or_404(selectors.organizations_administered_by(request.user), pk=pk)
    form = OrganizationForm(
        request.POST or None, user=request.user, instance=copy.copy(organization)
    )
    return _edit_page(
        request,
        ORGANIZATION_PAGES,
        form,
        organization,
        lambda data: services.update_organization(organization=organization, **data),
    )


# --- Unions ------------------------------------------------------------------------------


@require_GET
@permission_required("orgs.view_organization")
def organization_autocomplete(request):
    """The organizations a filter or a form offers, as the user types (AutocompleteSelect)."""
    queryset = selectors.organizations_visible_to(request.user).only("pk", "name")
    return autocomplete_answer(request, queryset, label=lambda row: row.name)


@require_GET
@permission_required("orgs.view_union")
def union_autocomplete(request):
    queryset = selectors.unions_visible_to(request.user).only("pk", "name")
    return autocomplete_answer(request, queryset, label=lambda row: row.name)


@permission_required("orgs.view_union")
def union_list(request):
    unions = selectors.union_list(request.user)
    filterset = UnionFilterSet(request.GET, queryset=unions, request=request)
    # A province holds about 64,000 unions: keyset pages (index union_name_id), the count
    # capped, the organizations counted for the page's rows only.
    return _list_page(
        request,
        "orgs/union_list.html",
        filterset,
        pages=keyset_page,
        with_counts=lambda rows: selectors.count_union_organizations(request.user, rows),
    )


@permission_required("orgs.view_union", Union)
def union_detail(request, pk: int):
    union = get_object_or_404(selectors.union_detail(request.user), pk=pk)
    organizations = list(selectors.union_organizations(request.user, union))
    return render(
        request,
        "orgs/union_detail.html",
        {
            "union": union,
            "organizations": organizations,
            "can_edit": request.user.has_perm("orgs.change_union", union),
        },
    )


def _save_union(union=None):
    def save(data: dict):
        organizations = data.pop("organization_codes")
        if union is None:
            return services.create_union(organizations=organizations, **data)
        return services.update_union(union=union, organizations=organizations, **data)

    return save


@permission_required("orgs.add_union")
def union_create(request):
    form = UnionForm(request.POST or None, user=request.user)
    return _create_page(request, UNION_PAGES, form, _save_union())


@permission_required("orgs.change_union", Union)
def union_edit(request, pk: int):
    union = get_object_or_404(selectors.unions_administered_by(request.user), pk=pk)
    form = UnionForm(request.POST or None, user=request.user, instance=copy.copy(union))
    return _edit_page(request, UNION_PAGES, form, union, _save_union(union))
