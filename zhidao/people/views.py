"""Pages of account administration (账号管理).

An account is looked up among those the admin sees (another scope's account is a 404); the
pages that change it ask `people.change_account`, which only the accounts the admin manages
pass (403 for one it only sees). A one-time password is shown on the answer to the POST that
made it, once, and never stored or sent again.
"""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhidao.accounts.models import RoleGrant
from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.forms import add_service_error
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.core.workbooks import XLSX_CONTENT_TYPE
from zhidao.orgs.models import Federation

from . import exports, selectors, services
from .filters import AccountFilterSet
from .forms import AccountCreateForm, AccountForm, RoleScopeForm
from .presentation import account_rows


def account_permission(permission: str):
    """Like core's permission_required with a model: the account the URL's pk names among
    those the user sees (404 otherwise), then the permission on it (403)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            account = selectors.account_detail(request.user).filter(pk=pk).first()
            if account is None:
                raise Http404
            if not request.user.has_perm(permission, account):
                raise PermissionDenied
            return view(request, account, *args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _filtered(request) -> AccountFilterSet:
    return AccountFilterSet(
        request.GET, queryset=selectors.account_list(request.user), request=request
    )


@permission_required("people.view_account")
def account_list(request):
    filterset = _filtered(request)
    page_obj = paginate(request, filterset.qs)
    return render(
        request,
        "people/account_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": page_obj,
            "rows": account_rows(request.user, list(page_obj)),
            "search_placeholder": _("Username, name or phone's last digits"),
        },
    )


def _export_scope_name(request, filterset: AccountFilterSet) -> str:
    chosen = filterset.form.cleaned_data.get("federation") if filterset.is_valid() else None
    if chosen is not None:
        return chosen.name
    scope = scope_of(request.user)
    if scope.admin_paths:
        top = Federation.objects.visible_to(request.user).filter(path=scope.admin_paths[0])
        federation = top.only("name").first()
        if federation is not None:
            return federation.name
    return _("All")


@permission_required("people.view_account")
def account_export(request):
    filterset = _filtered(request)
    accounts = list(filterset.qs[: exports.EXPORT_LIMIT])
    content, count = exports.workbook(account_rows(request.user, accounts))
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"accounts .xlsx: {count} rows {request.GET.urlencode()}"[:500],
    )
    filename, fallback = exports.export_filename(_export_scope_name(request, filterset))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.content_disposition(filename, fallback=fallback)
    return response


def _one_time_password_page(request, account, password: str, *, created: bool):
    response = render(
        request,
        "people/one_time_password.html",
        {"account": account, "password": password, "created": created},
    )
    return response


@never_cache
@permission_required("people.add_account")
def account_create(request):
    form = AccountCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.create_account(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                **form.scope_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _one_time_password_page(request, account, password, created=True)
    return render(request, "people/account_form.html", {"form": form, "account": None})


@account_permission("people.view_account")
def account_detail(request, account, grant_form=None):
    (row,) = account_rows(request.user, [account])
    if grant_form is None and row.managed:
        grant_form = RoleScopeForm(user=request.user, auto_id="grant_%s")
    return render(
        request,
        "people/account_detail.html",
        {
            "account": account,
            "row": row,
            "grant_form": grant_form if row.managed else None,
            "is_self": account.pk == request.user.pk,
        },
    )


@account_permission("people.change_account")
def account_edit(request, account):
    form = AccountForm(
        request.POST or None,
        initial={"full_name": account.full_name, "phone": account.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("people:account_detail", pk=account.pk)
    if request.method == "GET" and account.phone:
        # The edit form is the one place the phone is shown unmasked (SECURITY.md).
        record_access_event(
            kind=AccessEventKind.UNMASKED_VIEW,
            request=request,
            user=request.user,
            detail=f"account {account.pk} {account.username}: phone",
        )
    return render(request, "people/account_form.html", {"form": form, "account": account})


@require_POST
@account_permission("people.change_account")
def account_grant(request, account):
    form = RoleScopeForm(request.POST, user=request.user, auto_id="grant_%s")
    if form.is_valid():
        try:
            services.grant_role(actor=request.user, account=account, **form.scope_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("people:account_detail", pk=account.pk)
    return account_detail.__wrapped__(request, account, grant_form=form)


def _act(request, account, act, done: str):
    """A POST button on the account's page: do it, say so, back to the page."""
    try:
        act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("people:account_detail", pk=account.pk)


@require_POST
@account_permission("people.change_account")
def account_revoke(request, account, grant_id: int):
    grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=grant_id, user=account)
    return _act(
        request,
        account,
        lambda: services.revoke_role(actor=request.user, grant=grant),
        _("The role was revoked."),
    )


@require_POST
@account_permission("people.change_account")
def account_deactivate(request, account):
    return _act(
        request,
        account,
        lambda: services.deactivate_account(actor=request.user, account=account),
        _("The account was deactivated; its sessions and API tokens have ended."),
    )


@require_POST
@account_permission("people.change_account")
def account_reactivate(request, account):
    return _act(
        request,
        account,
        lambda: services.reactivate_account(actor=request.user, account=account),
        _("The account was reactivated."),
    )


@require_POST
@account_permission("people.change_account")
def account_unlock(request, account):
    return _act(
        request,
        account,
        lambda: services.unlock_account(actor=request.user, account=account),
        _("The account was unlocked; it can log in again."),
    )


@require_POST
@account_permission("people.change_account")
def account_revoke_tokens(request, account):
    return _act(
        request,
        account,
        lambda: services.revoke_api_tokens(actor=request.user, account=account),
        _("The account's API tokens were revoked."),
    )


@never_cache
@require_POST
@account_permission("people.change_account")
def account_reset_password(request, account):
    try:
        password = services.reset_password(actor=request.user, account=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("people:account_detail", pk=account.pk)
    return _one_time_password_page(request, account, password, created=False)
