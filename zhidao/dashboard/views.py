from django.shortcuts import redirect, render
from django.utils import timezone

from zhidao.accounts.scope import scope_of
from zhidao.core import usercache
from zhidao.core.permissions import permission_required
from zhidao.core.workbench import badges
from zhidao.figures.definitions import LABELS
from zhidao.orgs.setup.selectors import setup_is_pending

from . import federation_selectors, selectors
from .workbench import cards, items_for


@permission_required("dashboard.view_workbench")
def home(request):
    """The workbench (工作台): what waits for the user, per role it holds; the leader's
    federation figures; the admin's overview, the instructor's and the officer's own rows."""
    scope = scope_of(request.user)
    if scope.is_superuser and setup_is_pending():
        return redirect("orgs:setup")  # a new deployment: its federation tree comes first
    today = timezone.localdate()
    all_cards = cards(items_for(request, today=today), today=today)
    context = {
        "today": today,
        "actions": [card for card in all_cards if card.item.action],
        "week_rule": next((card for card in all_cards if card.item.kind == "week_rule"), None),
        # What waits first, the urgent before the rest; the calm zeros last.
        "todo": sorted(
            (card for card in all_cards if not card.item.action and card.item.kind != "week_rule"),
            key=lambda card: (not card.item.count, not card.item.is_urgent),
        ),
        "decides": scope.is_federation_admin or scope.is_superuser,
        "labels": LABELS,
    }
    # The same total as the navigation's 首页 badge (a status such as 办理中 is not a to-do).
    context["waiting"] = badges([card.item for card in context["todo"]]).get("home", 0)
    if scope.leader_paths:
        context["headline"] = federation_selectors.federation_headline(request.user, today=today)
    if scope.is_federation_staff or scope.is_superuser:
        context["overview"] = selectors.federation_overview(request.user, today=today)
    if scope.is_instructor:
        instructor_id = scope.instructor_id
        context["my_assignments"] = usercache.cached(
            request,
            "my_assignments",
            lambda: selectors.my_assignment_rows(request.user, instructor_id),
            today=today,
        )
    if scope.is_union_officer:
        context["my_unions"] = selectors.my_unions(request.user, scope.union_ids, today=today)
    return render(request, "dashboard/home.html", context)
