import random
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from zhidao.reports.demo import load_demo_reports
from zhidao.reports.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_demo_reports_are_approved_some_late_and_one_returned_once():
    call_command("load_demo", "--size", "small", "--organizations", "20", stdout=StringIO())
    QuarterlyReport.objects.all().delete()  # load_demo calls load_demo_reports: start afresh
    created = load_demo_reports(today=date(2026, 11, 25), rng=random.Random(4))
    reports = QuarterlyReport.objects.all()
    assert created["reports"] == reports.count() > 0
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    assert {(r.year, r.quarter) for r in reports} <= {(2026, 1), (2026, 2), (2026, 3)}
    returned = reports.filter(transitions__to_status=ReportStatus.RETURNED)
    assert returned.count() == 1
    steps = list(returned.get().transitions.values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "returned", "submitted", "approved"]
    assert reports.filter(is_late=True).count() == created["late"] >= 1
    again = load_demo_reports(today=date(2026, 11, 25), rng=random.Random(4))
    assert again["reports"] == 0
