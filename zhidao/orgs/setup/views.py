"""The superuser's first-run page: choose the province and city, check the tree and its names,
name the first admin, confirm. Offered only while the database has no federation."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zhidao.core.forms import add_service_error
from zhidao.core.permissions import permission_required

from .. import divisions
from . import services
from .forms import DivisionChoiceForm, SetupForm
from .selectors import setup_is_pending

_OUTCOME_SESSION_KEY = "zhidao_setup_outcome"


def _require_pending_setup(user) -> None:
    if not (user.is_superuser and setup_is_pending()):
        raise Http404


@require_http_methods(["GET", "POST"])
@permission_required("orgs.set_up_federation")
def setup(request):
    _require_pending_setup(request.user)
    if request.method == "POST":
        return _confirm(request)
    choice_form = DivisionChoiceForm(request.GET)
    division = choice_form.chosen_division()
    setup_form = SetupForm(plan=services.plan_tree(division)) if division else None
    return _render(request, choice_form, division, setup_form)


def _confirm(request):
    division = divisions.get(request.POST.get("division", ""))
    if division is None or division.level not in services.ROOT_LEVELS:
        raise Http404
    setup_form = SetupForm(request.POST, plan=services.plan_tree(division))
    choice_form = DivisionChoiceForm(
        {"province": division.parent_code or division.code, "city": division.code}
    )
    if setup_form.is_valid():
        try:
            outcome = services.set_up_federation_tree(
                division=division,
                admin_username=setup_form.cleaned_data["admin_username"],
                admin_password=setup_form.cleaned_data["admin_password"],
                admin_full_name=setup_form.cleaned_data["admin_full_name"],
                names=setup_form.names(),
            )
        except ValidationError as error:
            add_service_error(setup_form, error)
        else:
            request.session[_OUTCOME_SESSION_KEY] = {
                "root": outcome.root.name,
                "root_id": outcome.root.pk,
                "federations": len(outcome.created),
                "admin": outcome.admin.username,
                "one_time_password": outcome.one_time_password,
            }
            return redirect("orgs:setup_done")
    return _render(request, choice_form, division, setup_form)


def _render(request, choice_form, division, setup_form):
    return render(
        request,
        "orgs/setup/setup.html",
        {"choice_form": choice_form, "division": division, "setup_form": setup_form},
    )


@require_GET
@permission_required("orgs.set_up_federation")
def setup_done(request):
    """What was set up, with the one-time password, shown once."""
    outcome = request.session.pop(_OUTCOME_SESSION_KEY, None) if request.user.is_superuser else None
    if outcome is None:
        raise Http404
    return render(request, "orgs/setup/done.html", {"outcome": outcome})
