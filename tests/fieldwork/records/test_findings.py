"""Findings and rectification: each transition by its role, with actor and time; wrong roles
and wrong states refused; overdue visible to the three roles."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhidao.fieldwork.models import FindingStatus
from zhidao.fieldwork.records import services as records_services
from zhidao.fieldwork.records.selectors import open_findings_for_organization

from .conftest import make_finding


def _answer(client, side, finding, text="已开设工会经费独立账户"):
    client.force_login(side["officer"])
    evidence = SimpleUploadedFile("开户许可.pdf", b"%PDF-1.4 licence")
    return client.post(
        reverse("fieldwork:finding_answer", args=[finding.pk]),
        {"answer": text, "evidence": [evidence]},
    )


def test_instructor_records_a_finding_through_the_page(client, world):
    mine = world["mine"]
    client.force_login(mine["instructor_user"])
    response = client.post(
        reverse("fieldwork:finding_create"),
        {
            "organization": mine["organization"].pk,
            "category": "congress",
            "description": "本年度未召开职工代表大会",
            "recommendation": "12月底前召开",
            "due_on": "2026-12-31",
        },
    )
    finding = mine["assignment"].findings.get()
    assert response.status_code == 302
    assert finding.status == FindingStatus.OPEN
    assert finding.union == mine["union"]
    assert finding.transitions.get().actor == mine["instructor_user"]


def test_officer_answers_and_instructor_closes(client, world):
    mine = world["mine"]
    finding = make_finding(mine)
    assert _answer(client, mine, finding).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED
    assert finding.evidence.get().original_name == "开户许可.pdf"
    client.force_login(mine["instructor_user"])
    response = client.post(
        reverse("fieldwork:finding_close", args=[finding.pk]), {"comment": "已核实"}
    )
    finding.refresh_from_db()
    assert response.status_code == 302
    assert finding.status == FindingStatus.CLOSED
    assert finding.closed_at is not None


def test_reopened_finding_goes_back_to_the_officer(client, world):
    mine = world["mine"]
    finding = make_finding(mine)
    _answer(client, mine, finding)
    client.force_login(mine["instructor_user"])
    client.post(
        reverse("fieldwork:finding_reopen", args=[finding.pk]), {"reopen-comment": "账户未启用"}
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REOPENED
    assert _answer(client, mine, finding, "账户已启用").status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED


def test_every_transition_is_recorded_with_actor_and_time(world):
    mine = world["mine"]
    officer, instructor = mine["officer"], mine["instructor_user"]
    finding = make_finding(mine)
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):
        records_services.answer_finding(actor=officer, finding=finding, answer="已整改")
    records_services.reopen_finding(actor=instructor, finding=finding, comment="还缺制度")
    records_services.answer_finding(actor=officer, finding=finding, answer="已补制度")
    records_services.close_finding(actor=instructor, finding=finding)
    steps = list(finding.transitions.order_by("id"))
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("", "open"),
        ("open", "answered"),
        ("answered", "reopened"),
        ("reopened", "answered"),
        ("answered", "closed"),
    ]
    assert [s.actor for s in steps] == [instructor, officer, instructor, officer, instructor]
    assert steps[1].at.date() == date(2026, 11, 26)
    assert steps[2].comment == "还缺制度"


def test_detail_page_shows_the_timeline(client, world):
    mine = world["mine"]
    finding = make_finding(mine)
    records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已开户")
    client.force_login(mine["admin"])
    page = client.get(reverse("fieldwork:finding_detail", args=[finding.pk])).content.decode()
    assert "已开户" in page
    assert str(mine["officer"]) in page and str(mine["instructor_user"]) in page


@pytest.mark.parametrize("role", ["instructor_user", "admin", "leader"])
def test_only_the_union_officer_may_answer(client, world, role):
    mine = world["mine"]
    finding = make_finding(mine)
    client.force_login(mine[role])
    response = client.post(reverse("fieldwork:finding_answer", args=[finding.pk]), {"answer": "x"})
    finding.refresh_from_db()
    assert response.status_code == 403  # they see the finding; answering is the union's
    assert finding.status == FindingStatus.OPEN


@pytest.mark.parametrize("role", ["officer", "admin", "leader"])
def test_only_the_instructor_may_close_or_reopen(client, world, role):
    mine = world["mine"]
    finding = make_finding(mine)
    records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已整改")
    client.force_login(mine[role])
    for name, data in [("finding_close", {}), ("finding_reopen", {"reopen-comment": "x"})]:
        assert client.post(reverse(f"fieldwork:{name}", args=[finding.pk]), data).status_code == 403
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED


def test_service_refuses_the_wrong_actor(world):
    mine = world["mine"]
    finding = make_finding(mine)
    with pytest.raises(PermissionDenied):
        records_services.answer_finding(
            actor=world["other"]["officer"], finding=finding, answer="x"
        )


def test_closing_an_unanswered_finding_is_refused_in_chinese(client, world):
    mine = world["mine"]
    finding = make_finding(mine)
    with pytest.raises(ValidationError) as caught:
        records_services.close_finding(actor=mine["instructor_user"], finding=finding)
    assert "只有已答复的问题才能销号" in caught.value.messages[0]
    client.force_login(mine["instructor_user"])
    response = client.post(reverse("fieldwork:finding_close", args=[finding.pk]), {})
    assert response.status_code == 200
    assert "只有已答复的问题才能销号" in response.content.decode()


def test_answering_a_closed_finding_is_refused(world):
    mine = world["mine"]
    finding = make_finding(mine)
    records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已整改")
    records_services.close_finding(actor=mine["instructor_user"], finding=finding)
    with pytest.raises(ValidationError):
        records_services.answer_finding(actor=mine["officer"], finding=finding, answer="再答")
    assert finding.transitions.count() == 3


def test_reopening_needs_a_comment(world):
    mine = world["mine"]
    finding = make_finding(mine)
    records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已整改")
    with pytest.raises(ValidationError) as caught:
        records_services.reopen_finding(actor=mine["instructor_user"], finding=finding, comment="")
    assert "comment" in caught.value.message_dict


def test_forms_are_shown_only_to_the_role_that_may_act(client, world):
    mine = world["mine"]
    finding = make_finding(mine)
    url = reverse("fieldwork:finding_detail", args=[finding.pk])
    client.force_login(mine["officer"])
    assert client.get(url).context["answer_form"] is not None
    client.force_login(mine["instructor_user"])
    response = client.get(url)
    assert response.context["answer_form"] is None and response.context["close_form"] is None


@pytest.mark.parametrize("role", ["instructor_user", "officer", "admin"])
def test_overdue_finding_is_marked_for_all_three_roles(client, world, role):
    mine = world["mine"]
    finding = make_finding(mine, due_on=date(2026, 11, 30))
    with time_machine.travel("2026-12-02 10:00 +0800", tick=False):
        client.force_login(mine[role])
        listing = client.get(reverse("fieldwork:finding_list")).content.decode()
        detail = client.get(reverse("fieldwork:finding_detail", args=[finding.pk]))
        overdue_only = client.get(reverse("fieldwork:finding_list"), {"overdue": "on"})
    assert "已逾期" in listing
    assert "已逾期" in detail.content.decode()
    assert [f.pk for f in overdue_only.context["page_obj"]] == [finding.pk]


def test_closed_finding_is_not_overdue(client, world):
    mine = world["mine"]
    finding = make_finding(mine, due_on=date(2026, 11, 30))
    records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已整改")
    records_services.close_finding(actor=mine["instructor_user"], finding=finding)
    with time_machine.travel("2026-12-02 10:00 +0800", tick=False):
        client.force_login(mine["admin"])
        response = client.get(reverse("fieldwork:finding_list"))
    assert [f.is_overdue for f in response.context["page_obj"]] == [False]


def test_open_findings_for_organization_leaves_out_closed_ones(world):
    mine = world["mine"]
    still_open = make_finding(mine)
    closed = make_finding(mine, category="rules")
    records_services.answer_finding(actor=mine["officer"], finding=closed, answer="已制定")
    records_services.close_finding(actor=mine["instructor_user"], finding=closed)
    found = open_findings_for_organization(mine["admin"], mine["organization"])
    assert list(found) == [still_open]
    assert not open_findings_for_organization(world["other"]["admin"], mine["organization"])


def test_evidence_is_served_to_the_scope_and_404_to_another(client, world):
    mine = world["mine"]
    finding = make_finding(mine)
    _answer(client, mine, finding)
    evidence = finding.evidence.get()
    url = reverse("fieldwork:finding_evidence", args=[finding.pk, evidence.pk])
    client.force_login(mine["instructor_user"])
    assert client.get(url).status_code == 200
    client.force_login(world["other"]["officer"])
    assert client.get(url).status_code == 404
