"""The issue's "done when", through the pages: the instructor checks in on the demo data, the
admin's heat map shows this week as pending, and as met only once the union officer confirmed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from zhidao.accounts.models import User
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
GEELY = "湖南吉利汽车部件有限公司"


@pytest.fixture
def demo(db):
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", size="small", organizations=40, verbosity=0)
    with time_machine.travel(NOW, tick=False):
        yield


def this_week_state(client, assignment) -> str:
    response = client.get(reverse("fieldwork:compliance_heatmap"), {"q": "欧阳"})
    assert response.status_code == 200
    grid = response.context["grid"]
    row = next(row for row in grid.rows if row.assignment.pk == assignment.pk)
    return next(cell.state for cell in row.cells if cell.week.start == grid.current_week)


def test_heat_map_shows_the_week_met_only_after_the_officer_confirmed(demo, client):
    instructor = User.objects.get(username="ouyang")
    officer = User.objects.get(username="geely_chair")
    admin = User.objects.get(username="admin")
    assignment = Assignment.objects.get(
        instructor__user=instructor,
        status=AssignmentStatus.ACTIVE,
        organizations__name=GEELY,
    )
    geely = assignment.organizations.get(name=GEELY)

    client.force_login(admin)
    assert this_week_state(client, assignment) == "pending"

    client.force_login(instructor)
    page = client.get(reverse("fieldwork:check_in"))
    assert page.status_code == 200
    response = client.post(
        reverse("fieldwork:check_in"),
        {
            "client_uuid": page.context["form"]["client_uuid"].value(),
            "place": f"{assignment.pk}:{geely.pk}",
            "summary": "指导工会筹备职工代表大会",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    day = OnSiteDay.objects.get(instructor__user=instructor, on_date=NOW.date())
    assert day.status == OnSiteDayStatus.UNCONFIRMED

    client.force_login(admin)
    assert this_week_state(client, assignment) == "pending"  # unconfirmed days do not count

    client.force_login(officer)
    response = client.post(reverse("fieldwork:on_site_day_confirm", args=[day.pk]))
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.status == OnSiteDayStatus.CONFIRMED and day.confirmed_by == officer

    client.force_login(admin)
    assert this_week_state(client, assignment) == "met"
