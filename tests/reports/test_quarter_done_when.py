"""The reporting issue's "done when", through the pages on the demo: the instructor drafts and
submits a quarter's report from its records, the admin returns it once and approves it,
downloads the quarter roll-up, and the dashboard shows the quarter."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from zhidao.accounts.models import User
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.models import WorkRecord
from zhidao.reports.models import QuarterlyReport

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(db):
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", size="small", organizations=40, verbosity=0)
        yield


def test_report_drafted_submitted_returned_approved_rolled_up_and_on_the_dashboard(demo, client):
    instructor = User.objects.get(username="ouyang")
    admin = User.objects.get(username="admin")
    assignment = Assignment.objects.get(
        instructor__user=instructor,
        status=AssignmentStatus.ACTIVE,
        organizations__name="湖南吉利汽车部件有限公司",
    )
    QuarterlyReport.objects.filter(assignment=assignment, year=2026, quarter=3).delete()

    client.force_login(instructor)
    response = client.post(
        reverse("reports:report_draft"), {"assignment": assignment.pk, "year": 2026, "quarter": 3}
    )
    assert response.status_code == 302
    report = QuarterlyReport.objects.get(assignment=assignment, year=2026, quarter=3)
    records = WorkRecord.objects.filter(
        assignment=assignment, worked_on__range=("2026-07-01", "2026-09-30")
    ).count()
    assert str(records) in str(report.figures)  # drafted from the quarter's records

    narrative = {"work_done": "指导工会换届", "problems": "经费紧张", "next_plan": "筹备职代会"}
    client.post(reverse("reports:report_edit", args=[report.pk]), narrative)
    client.post(reverse("reports:report_action", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.status == "submitted"

    client.force_login(admin)
    client.post(
        reverse("reports:report_action", args=[report.pk, "return"]), {"comment": "请补充数据"}
    )
    report.refresh_from_db()
    assert report.status in ("returned", "draft")

    client.force_login(instructor)
    client.post(reverse("reports:report_action", args=[report.pk, "submit"]))
    client.force_login(admin)
    client.post(reverse("reports:report_action", args=[report.pk, "approve"]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == "approved"
    assert list(report.transitions.values_list("to_status", flat=True))[-1] == "approved"

    rollup = client.get(reverse("reports:report_rollup"), {"year": 2026, "quarter": 3})
    assert rollup.status_code == 200
    sheet = load_workbook(BytesIO(rollup.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert any("欧阳新建" in value for value in cells)

    dashboard = client.get(reverse("core:federation_dashboard"), {"quarter": "2026-Q3"})
    assert dashboard.status_code == 200
    figures = dashboard.context  # the page flattens its figures into the context
    assert figures["quarter"].key == "2026-Q3"
    approved = QuarterlyReport.objects.filter(year=2026, quarter=3, status="approved").count()
    assert approved >= 1
    assert sum(figures["reports"]["by_status"].values()) >= approved
    assert figures["weeks"]  # the quarter's compliance trend is there
