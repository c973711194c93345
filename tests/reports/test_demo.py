import random
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from zhidao.reports.demo import load_demo_reports
from zhidao.reports.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def test_demo_reports_are_approved_some_late_and_one_returned_once():
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        call_command("load_demo", "--size", "small", "--organizations", "20", stdout=StringIO())
    QuarterlyReport.objects.all().delete()  # load_demo calls load_demo_reports: start afresh
    created = load_demo_reports(today=TODAY, rng=random.Random(4))
    reports = QuarterlyReport.objects.select_related("assignment")
    assert created["reports"] == reports.count() > 0
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    # The current term (from 2026-03-01) and the previous one, each quarter due before today.
    terms = set(reports.values_list("assignment__batch__starts_on", flat=True))
    assert terms == {date(2025, 3, 1), date(2026, 3, 1)}
    assert {(r.year, r.quarter) for r in reports} == {
        (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)
    }  # fmt: skip
    for report in reports:
        assert report.due_on < TODAY
        assert report.approved_at.date() < TODAY
        first = date(report.year, 3 * report.quarter - 2, 1)
        after = date(report.year + report.quarter // 4, 3 * report.quarter % 12 + 1, 1)
        assert first <= report.assignment.ends_on and after > report.assignment.starts_on
    returned = reports.filter(transitions__to_status=ReportStatus.RETURNED)
    assert returned.count() == 1
    steps = list(returned.get().transitions.values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "returned", "submitted", "approved"]
    assert reports.filter(is_late=True).count() == created["late"] >= 1
    again = load_demo_reports(today=TODAY, rng=random.Random(4))
    assert again["reports"] == 0
