"""Assignment pages: the default term, date and overlap errors, ending early."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from zhidao.dispatch.models import Assignment

CREATE_URL = reverse("dispatch:assignment_create")


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["mine"]["admin"])
    return client


@pytest.fixture
def second_organization(world):
    return factories.OrganizationFactory(
        name="湘潭第二有限公司", federation=world["mine"]["district"]
    )


def is_checked(content: str, organization) -> bool:
    pattern = (
        rf'<input type="checkbox" name="organizations" value="{organization.pk}"[^>]* checked>'
    )
    return re.search(pattern, content) is not None


def assignment_data(world, organizations, **overrides):
    data = {
        "batch": world["mine"]["batch"].pk,
        "instructor": world["mine"]["instructor"].pk,
        "organizations": [o.pk for o in organizations],
        "starts_on": "2026-03-01",
        "ends_on": "",
        "min_days_per_week": 1,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_assignment_end_date_defaults_to_one_year_after_start(
    admin_client, world, second_organization
):
    response = admin_client.post(CREATE_URL, assignment_data(world, [second_organization]))
    assignment = Assignment.objects.get(organizations=second_organization)
    assert response["Location"] == reverse("dispatch:assignment_detail", args=[assignment.pk])
    assert assignment.ends_on == date(2027, 2, 28)
    assert list(assignment.organizations.all()) == [second_organization]


def test_assignment_status_is_derived_from_its_dates(admin_client, world, second_organization):
    admin_client.post(
        CREATE_URL,
        assignment_data(world, [second_organization], starts_on="2099-01-01"),
    )
    assert Assignment.objects.get(organizations=second_organization).status == "planned"


def test_assignment_end_before_start_is_refused_at_the_end_date(
    admin_client, world, second_organization
):
    response = admin_client.post(
        CREATE_URL, assignment_data(world, [second_organization], ends_on="2026-01-01")
    )
    assert response.context["form"].errors["ends_on"] == ["结束日期不能早于开始日期。"]
    assert not Assignment.objects.filter(organizations=second_organization).exists()


def test_min_days_per_week_outside_one_to_seven_is_refused_in_chinese(
    admin_client, world, second_organization
):
    response = admin_client.post(
        CREATE_URL, assignment_data(world, [second_organization], min_days_per_week=8)
    )
    assert response.context["form"].errors["min_days_per_week"] == ["请输入 1 到 7 之间的天数。"]


def test_overlapping_assignment_on_the_same_organization_is_refused(admin_client, world):
    organization = world["mine"]["organization"]
    response = admin_client.post(
        CREATE_URL, assignment_data(world, [organization], starts_on="2026-09-01")
    )
    errors = response.context["form"].errors["organizations"]
    assert len(errors) == 1
    assert organization.name in errors[0]
    assert "重叠" in errors[0]
    assert Assignment.objects.filter(organizations=organization).count() == 1
    content = response.content.decode()
    assert 'value="2026-09-01"' in content
    assert is_checked(content, organization)


def test_assignment_after_the_previous_one_ends_is_accepted(admin_client, world):
    organization = world["mine"]["organization"]
    response = admin_client.post(
        CREATE_URL, assignment_data(world, [organization], starts_on="2027-03-01")
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(organizations=organization).count() == 2


def test_no_organization_chosen_is_refused_at_organizations(admin_client, world):
    response = admin_client.post(CREATE_URL, assignment_data(world, []))
    assert response.context["form"].errors["organizations"]


def test_admin_cannot_assign_another_scopes_organization(admin_client, world):
    response = admin_client.post(
        CREATE_URL, assignment_data(world, [world["other"]["organization"]], starts_on="2027-03-01")
    )
    assert response.context["form"].errors["organizations"]
    assert Assignment.objects.count() == 2


def test_admin_cannot_assign_another_scopes_instructor(admin_client, world, second_organization):
    response = admin_client.post(
        CREATE_URL,
        assignment_data(world, [second_organization], instructor=world["other"]["instructor"].pk),
    )
    assert response.context["form"].errors["instructor"]


def test_inactive_instructor_is_not_offered_for_a_new_assignment(admin_client, world):
    inactive = factories.InstructorFactory(
        name="离岗指导员", federation=world["mine"]["city"], status="inactive"
    )
    # The form's box asks for the assignable instructors only (the page lists none itself).
    content = admin_client.get(CREATE_URL).content.decode()
    assert "/dispatch/instructors/autocomplete/?assignable=1" in content
    offered = admin_client.get(
        "/dispatch/instructors/autocomplete/", {"assignable": "1", "q": ""}
    ).json()["results"]
    names = [row["text"] for row in offered]
    assert world["mine"]["instructor"].name in names
    assert inactive.name not in names
    # The lists' filters still find an instructor who has left.
    listed = admin_client.get("/dispatch/instructors/autocomplete/", {"q": "离岗"}).json()
    assert [row["text"] for row in listed["results"]] == [inactive.name]


def test_organization_search_keeps_typed_values_and_checked_organizations(
    admin_client, world, second_organization
):
    response = admin_client.post(
        CREATE_URL,
        {
            **assignment_data(world, [world["mine"]["organization"]], notes="第一次走访"),
            "organization_search": "第二",
            "_search_organizations": "1",
        },
    )
    assert response.status_code == 200
    assert not response.context["form"].errors
    content = response.content.decode()
    assert "第一次走访" in content
    assert second_organization.name in content
    assert is_checked(content, world["mine"]["organization"])
    assert Assignment.objects.count() == 2


def test_organization_search_never_lists_another_scopes_organization(admin_client, world):
    response = admin_client.post(
        CREATE_URL,
        {**assignment_data(world, []), "organization_search": "株洲", "_search_organizations": "1"},
    )
    assert world["other"]["organization"].name not in response.content.decode()


def test_admin_edits_assignment_dates_and_status_follows(admin_client, world):
    assignment = world["mine"]["assignment"]
    response = admin_client.post(
        reverse("dispatch:assignment_edit", args=[assignment.pk]),
        assignment_data(world, [world["mine"]["organization"]], starts_on="2024-03-01", ends_on=""),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == date(2025, 2, 28)
    assert assignment.status == "completed"


def test_ending_early_requires_a_reason(admin_client, world):
    assignment = world["mine"]["assignment"]
    response = admin_client.post(
        reverse("dispatch:assignment_end_early", args=[assignment.pk]),
        {"ended_on": "2026-07-01", "end_reason": "  "},
    )
    assert response.context["end_form"].errors["end_reason"] == ["请填写提前结束派驻的原因。"]
    assignment.refresh_from_db()
    assert assignment.status == "active"


def test_ending_early_after_the_planned_end_is_refused_at_the_date(admin_client, world):
    assignment = world["mine"]["assignment"]
    response = admin_client.post(
        reverse("dispatch:assignment_end_early", args=[assignment.pk]),
        {"ended_on": "2027-06-01", "end_reason": "调动"},
    )
    assert response.context["end_form"].errors["ended_on"]
    assignment.refresh_from_db()
    assert assignment.status == "active"


def test_admin_ends_an_assignment_early_and_the_reason_shows(admin_client, world):
    assignment = world["mine"]["assignment"]
    response = admin_client.post(
        reverse("dispatch:assignment_end_early", args=[assignment.pk]),
        {"ended_on": "2026-07-01", "end_reason": "工作调动"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "ended_early"
    assert assignment.ended_on == date(2026, 7, 1)
    content = admin_client.get(response["Location"]).content.decode()
    assert "工作调动" in content
    assert "提前结束" in content


def test_assignment_detail_shows_organizations_with_links_and_the_on_site_rule(client, world):
    client.force_login(world["mine"]["officer"])
    assignment = world["mine"]["assignment"]
    content = client.get(reverse("dispatch:assignment_detail", args=[assignment.pk])).content
    content = content.decode()
    organization = world["mine"]["organization"]
    assert reverse("orgs:organization_detail", args=[organization.pk]) in content
    assert "每周驻点不少于 1 天" in content


def test_union_officer_sees_only_its_own_organizations_on_a_shared_assignment(client, world):
    elsewhere = factories.OrganizationFactory(
        name="别家有限公司", federation=world["mine"]["district"]
    )
    assignment = factories.make_assignment(
        instructor=world["mine"]["instructor"],
        organizations=[world["mine"]["organization"], elsewhere],
        batch=world["mine"]["batch"],
        starts_on=date(2027, 3, 1),
    )
    client.force_login(world["mine"]["officer"])
    content = client.get(reverse("dispatch:assignment_detail", args=[assignment.pk])).content
    assert world["mine"]["organization"].name in content.decode()
    assert "别家有限公司" not in content.decode()


def test_assignment_list_filters_by_status_and_instructor(admin_client, world, second_organization):
    colleague = factories.InstructorFactory(name="同事", federation=world["mine"]["city"])
    planned = factories.make_assignment(
        instructor=colleague,
        organizations=[second_organization],
        batch=world["mine"]["batch"],
        starts_on=date(2099, 1, 1),
    )
    url = reverse("dispatch:assignment_list")
    rows = list(admin_client.get(url, {"status": "planned"}).context["page_obj"])
    assert rows == [planned]
    rows = list(admin_client.get(url, {"instructor": colleague.pk}).context["page_obj"])
    assert rows == [planned]


def test_assignment_list_searches_organization_and_instructor_names(
    admin_client, world, second_organization
):
    colleague = factories.InstructorFactory(name="欧阳新建", federation=world["mine"]["city"])
    found = factories.make_assignment(
        instructor=colleague,
        organizations=[second_organization],
        batch=world["mine"]["batch"],
    )
    url = reverse("dispatch:assignment_list")
    assert list(admin_client.get(url, {"q": "第二"}).context["page_obj"]) == [found]
    assert list(admin_client.get(url, {"q": "oyxj"}).context["page_obj"]) == [found]
    assert list(admin_client.get(url, {"q": "欧阳"}).context["page_obj"]) == [found]


def test_organization_picker_lists_a_bounded_number_plus_the_chosen_ones(admin_client, world):
    from zhidao.dispatch.forms import ORGANIZATION_CHOICES_SHOWN

    many = [
        factories.OrganizationFactory(name=f"批量企业{n:03d}", federation=world["mine"]["district"])
        for n in range(ORGANIZATION_CHOICES_SHOWN + 5)
    ]
    chosen = many[-1]  # sorts last by name: listed only because it is chosen
    response = admin_client.post(
        CREATE_URL,
        {**assignment_data(world, [chosen]), "_search_organizations": "1"},
    )
    form = response.context["form"]
    listed = [value for value, _label in form.fields["organizations"].widget.choices]
    assert len(listed) == ORGANIZATION_CHOICES_SHOWN + 1
    assert listed[0] == chosen.pk
    assert form.more_organizations
