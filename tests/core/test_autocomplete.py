"""Drop-downs that could list thousands (a province's instructors and unions) hold only the chosen
row; the box asks an endpoint for the user's own matches as the user types."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    BatchFactory,
    InstructorFactory,
    OrganizationFactory,
    UnionFactory,
    federation_admin,
    make_assignment,
    make_federation,
)
from zhidao.core import autocomplete
from zhidao.orgs.models import FederationLevel

pytestmark = pytest.mark.django_db


class Options(HTMLParser):
    """The options of the select named `name`: (value, label, selected)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.inside, self.options = name, False, []
        self.select_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == self.name:
            self.inside, self.select_attrs = True, attrs
        elif tag == "option" and self.inside:
            self.options.append([attrs.get("value"), "", "selected" in attrs])

    def handle_data(self, data):
        if self.inside and self.options:
            self.options[-1][1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False


def options_of(html: str, name: str) -> tuple[list, dict]:
    parser = Options(name)
    parser.feed(html)
    return [tuple(option) for option in parser.options], parser.select_attrs


@pytest.fixture
def city():
    federation = make_federation()
    district = make_federation("雨湖区总工会", FederationLevel.DISTRICT, parent=federation)
    other = make_federation("株洲市总工会")
    names = ["欧阳明", "邹倩", "李吉利", "王建国", "张三"]
    instructors = [InstructorFactory(federation=district, name=name) for name in names]
    stranger = InstructorFactory(federation=other, name="李吉祥")
    return {
        "federation": federation,
        "district": district,
        "other": other,
        "admin": federation_admin(federation),
        "instructors": instructors,
        "stranger": stranger,
    }


def test_the_instructor_filter_holds_the_chosen_instructor_only(client, city):
    client.force_login(city["admin"])
    chosen = city["instructors"][2]
    response = client.get("/fieldwork/days/", {"instructor": chosen.pk})
    assert response.status_code == 200
    options, attrs = options_of(response.content.decode(), "instructor")
    # The empty choice and the chosen one: not the five instructors of the city.
    assert [(value, selected) for value, _label, selected in options] == [
        ("", False),
        (str(chosen.pk), True),
    ]
    assert options[1][1] == "李吉利"
    assert attrs["data-autocomplete-url"] == "/dispatch/instructors/autocomplete/"


def test_the_filter_page_does_not_grow_with_the_instructors(client, city):
    client.force_login(city["admin"])
    client.get("/fieldwork/records/")
    with CaptureQueriesContext(connection) as few:
        first = client.get("/fieldwork/records/")
    for n in range(30):
        InstructorFactory(federation=city["district"], name=f"新指导员{n}")
    with CaptureQueriesContext(connection) as many:
        second = client.get("/fieldwork/records/")
    assert len(many) == len(few)
    assert len(options_of(second.content.decode(), "instructor")[0]) == 1
    assert len(options_of(first.content.decode(), "instructor")[0]) == 1


def test_a_chosen_instructor_of_another_federation_is_not_shown(client, city):
    client.force_login(city["admin"])
    response = client.get("/fieldwork/days/", {"instructor": city["stranger"].pk})
    options, _attrs = options_of(response.content.decode(), "instructor")
    assert [value for value, _label, _selected in options] == [""]
    assert "李吉祥" not in response.content.decode()


def test_the_endpoint_answers_the_users_own_matches_by_pinyin_best_first(client, city):
    client.force_login(city["admin"])
    answer = client.get("/dispatch/instructors/autocomplete/", {"q": "jili"}).json()
    # 李吉利 of the city; 李吉祥 of another federation is not the admin's (asked by 李 too).
    assert [row["text"] for row in answer["results"]] == ["李吉利"]
    assert answer["results"][0]["id"] == city["instructors"][2].pk
    assert answer["more"] is False
    by_surname = client.get("/dispatch/instructors/autocomplete/", {"q": "李"}).json()
    assert [row["text"] for row in by_surname["results"]] == ["李吉利"]


def test_the_endpoint_says_when_more_match_than_it_lists(client, city, monkeypatch):
    monkeypatch.setattr(autocomplete, "AUTOCOMPLETE_LIMIT", 2)
    client.force_login(city["admin"])
    answer = client.get("/dispatch/instructors/autocomplete/", {"q": ""}).json()
    assert len(answer["results"]) == 2
    assert answer["more"] is True
    everyone = {row.name for row in city["instructors"]}
    assert {row["text"] for row in answer["results"]} <= everyone


def test_unions_and_organizations_and_assignments_are_found_within_scope(client, city):
    mine = UnionFactory(federation=city["district"], name="湖南吉利汽车部件有限公司工会")
    UnionFactory(federation=city["other"], name="株洲吉利物流有限公司工会")
    organization = OrganizationFactory(federation=city["district"], name="湖南吉利汽车部件有限公司")
    OrganizationFactory(federation=city["other"], name="株洲吉利物流有限公司")
    assignment = make_assignment(instructor=city["instructors"][2], organizations=[organization])
    make_assignment(
        instructor=city["stranger"],
        organizations=[OrganizationFactory(federation=city["other"], name="株洲某公司")],
    )
    client.force_login(city["admin"])
    unions = client.get("/orgs/unions/autocomplete/", {"q": "吉利"}).json()["results"]
    assert [(row["id"], row["text"]) for row in unions] == [(mine.pk, mine.name)]
    organizations = client.get("/orgs/organizations/autocomplete/", {"q": "jl"}).json()
    assert [row["id"] for row in organizations["results"]] == [organization.pk]
    assignments = client.get("/dispatch/assignments/autocomplete/", {"q": "李"}).json()
    assert [row["id"] for row in assignments["results"]] == [assignment.pk]
    assert assignments["results"][0]["text"].startswith("李吉利 · ")


def test_the_role_form_lists_no_unions_until_one_is_chosen(client, city):
    for n in range(12):
        UnionFactory(federation=city["district"], name=f"测试{n}工会")
    client.force_login(city["admin"])
    response = client.get(f"/people/{city['admin'].pk}/")
    assert response.status_code == 200
    options, attrs = options_of(response.content.decode(), "union")
    assert len(options) <= 1
    assert attrs["data-autocomplete-url"] == "/orgs/unions/autocomplete/"


def test_the_assignment_form_still_refuses_an_instructor_of_another_federation(client, city):
    organization = OrganizationFactory(federation=city["district"])
    client.force_login(city["admin"])
    page = client.get("/dispatch/assignments/new/")
    options, _attrs = options_of(page.content.decode(), "instructor")
    assert len(options) <= 1  # the empty choice: the box finds the instructor
    response = client.post(
        "/dispatch/assignments/new/",
        {
            "instructor": city["stranger"].pk,
            "organizations": [organization.pk],
            "starts_on": "2026-03-01",
            "min_days_per_week": 1,
        },
    )
    assert response.status_code == 200  # the form again, with the instructor refused
    assert response.context["form"].errors["instructor"]


def test_the_assignment_list_holds_the_chosen_batch_only_named_with_its_federation(client, city):
    batches = [
        BatchFactory(federation=federation, name=f"第{number}期")
        for federation in (city["federation"], city["district"])
        for number in ("一", "二", "三")
    ]
    client.force_login(city["admin"])
    chosen = batches[4]
    response = client.get("/dispatch/assignments/", {"batch": chosen.pk})
    assert response.status_code == 200
    options, attrs = options_of(response.content.decode(), "batch")
    # The empty choice and the chosen one, not the six batches: each federation has a 第二期.
    assert options == [("", "全部", False), (str(chosen.pk), "第二期 · 雨湖区总工会", True)]
    assert attrs["data-autocomplete-url"] == "/dispatch/batches/autocomplete/"


def test_the_batch_endpoint_finds_by_the_federations_pinyin_or_the_batchs_name(client, city):
    own = BatchFactory(federation=city["district"], name="第二期")
    other_city = BatchFactory(federation=city["other"], name="第二期")
    city_batch = BatchFactory(federation=city["federation"], name="第一期")
    client.force_login(city["admin"])
    by_pinyin = client.get("/dispatch/batches/autocomplete/", {"q": "yuhu"}).json()
    assert by_pinyin["results"] == [{"id": own.pk, "text": "第二期 · 雨湖区总工会"}]
    by_name = client.get("/dispatch/batches/autocomplete/", {"q": "第二期"}).json()
    # 株洲's 第二期 is not the admin's.
    assert [row["id"] for row in by_name["results"]] == [own.pk]
    assert other_city.pk not in [row["id"] for row in by_name["results"]]
    everything = client.get("/dispatch/batches/autocomplete/", {"q": ""}).json()
    assert {row["id"] for row in everything["results"]} == {own.pk, city_batch.pk}
