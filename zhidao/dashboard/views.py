from django.shortcuts import redirect, render
from django.utils import timezone

from zhidao.accounts.scope import scope_of
from zhidao.core.permissions import permission_required
from zhidao.orgs.setup.selectors import setup_is_pending

from . import selectors


@permission_required("dashboard.view_workbench")
def home(request):
    """One page for every role: each section appears when the user holds that role."""
    scope = scope_of(request.user)
    if scope.is_superuser and setup_is_pending():
        return redirect("orgs:setup")  # a new deployment: its federation tree comes first
    today = timezone.localdate()
    context = {"today": today}
    if scope.is_federation_staff or scope.is_superuser:
        context["overview"] = selectors.federation_overview(request.user, today=today)
    if scope.is_instructor:
        context["my_assignments"] = selectors.my_assignments(request.user, scope.instructor_id)
        context["this_week"] = selectors.this_week(request.user, today=today)
    if scope.is_rights_staff:
        context["appeals"] = selectors.appeals_to_handle(request.user, today=today)
    if scope.is_union_officer:
        context["my_unions"] = selectors.my_unions(request.user, scope.union_ids, today=today)
    return render(request, "dashboard/home.html", context)
