"""The compliance heat map page and its .xlsx export."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.fieldwork.compliance.helpers import leave, on_site_day

pytestmark = pytest.mark.django_db
URL = reverse("fieldwork:compliance_heatmap")


def add_instructors(mine, count: int) -> None:
    for _ in range(count):
        instructor = factories.InstructorFactory(federation=mine["city"])
        organization = factories.OrganizationFactory(
            federation=mine["district"], union=mine["union"]
        )
        assignment = factories.make_assignment(
            instructor=instructor, organizations=[organization], batch=mine["batch"]
        )
        on_site_day(assignment, date(2026, 11, 17))
        leave(instructor, date(2026, 10, 5), date(2026, 10, 9))


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_leader_sees_the_heat_map_with_own_rows_only(client, world):
    client.force_login(world["mine"]["leader"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "湘潭指导员" in response.content.decode()
    assert "株洲指导员" not in response.content.decode()


def test_heat_map_shows_twelve_weeks_ending_this_week_by_default(client, world):
    client.force_login(world["mine"]["admin"])
    grid = client.get(URL).context["grid"]
    assert len(grid.weeks) == 12
    assert grid.weeks[-1].start == date(2026, 11, 23)


@pytest.mark.parametrize("role", ["instructor_user", "officer"])
def test_instructor_and_officer_get_403_on_the_heat_map(client, world, role):
    client.force_login(world["mine"][role])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("fieldwork:compliance_export")).status_code == 403


def test_confirmed_week_shows_as_met_cell(client, world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 17))
    client.force_login(mine["admin"])
    html = client.get(URL).content.decode()
    assert "cell cell-met" in html


def test_heat_map_queries_do_not_grow_with_instructors(client, world):
    mine = world["mine"]
    client.force_login(mine["admin"])
    add_instructors(mine, 1)
    client.get(URL)
    two = queries_for(client, URL)
    add_instructors(mine, 18)
    twenty = queries_for(client, URL)
    assert len(client.get(URL).context["grid"].rows) == 20
    assert twenty == two


def test_heat_map_queries_do_not_grow_with_weeks(client, world):
    mine = world["mine"]
    add_instructors(mine, 2)
    client.force_login(mine["admin"])
    client.get(URL)
    four = queries_for(client, URL + "?weeks=4")
    twenty_six = queries_for(client, URL + "?weeks=26")
    assert len(client.get(URL + "?weeks=26").context["grid"].weeks) == 26
    assert twenty_six == four


def test_heat_map_filters_by_batch(client, world):
    mine = world["mine"]
    other_batch = factories.BatchFactory(federation=mine["city"], name="第二期")
    instructor = factories.InstructorFactory(federation=mine["city"], name="王五")
    factories.make_assignment(
        instructor=instructor,
        organizations=[factories.OrganizationFactory(federation=mine["district"])],
        batch=other_batch,
    )
    client.force_login(mine["admin"])
    html = client.get(URL, {"batch": other_batch.pk}).content.decode()
    assert "王五" in html
    assert "湘潭指导员" not in html


def test_export_holds_the_same_grid(client, world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 17))
    client.force_login(mine["admin"])
    response = client.get(reverse("fieldwork:compliance_export"), {"weeks": 4})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1].startswith("2026-W48")
    assert rows[1][0] == "湘潭指导员"
    assert rows[1][-2] == "已达标"
    assert len(rows) == 2


def test_heat_map_batch_filter_holds_only_the_chosen_batch(client, world):
    """A province has hundreds of batches: the page holds the chosen one and the box asks the
    batch autocomplete for the others."""
    mine = world["mine"]
    batches = [factories.BatchFactory(federation=mine["city"], name=f"第{n}期") for n in (2, 3)]
    client.force_login(mine["admin"])
    page = client.get(URL, {"batch": batches[0].pk}).content.decode()
    select = re.search(r'<select name="batch".*?</select>', page, re.S).group(0)
    assert reverse("dispatch:batch_autocomplete") in select
    assert re.findall(r'<option value="(\d+)"', select) == [str(batches[0].pk)]
    assert "第2期 · 湘潭市总工会" in select
    # Another federation's batch is not accepted: the filter is ignored, every row is shown.
    other = client.get(URL, {"batch": world["other"]["batch"].pk})
    assert "湘潭指导员" in other.content.decode()
