"""Every role × instructors, batches and assignments: own scope visible, the other scope never."""

import pytest
from django.urls import reverse

MODELS = ["instructor", "batch", "assignment"]
ROLES = ["admin", "leader", "instructor_user", "officer"]
LISTS = {
    "instructor": "dispatch:instructor_list",
    "batch": "dispatch:batch_list",
    "assignment": "dispatch:assignment_list",
}


def detail_url(model, obj):
    return reverse(f"dispatch:{model}_detail", args=[obj.pk])


def edit_url(model, obj):
    return reverse(f"dispatch:{model}_edit", args=[obj.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_other_scope_detail_page_is_not_found(client, world, model, role):
    client.force_login(world["mine"][role])
    assert client.get(detail_url(model, world["other"][model])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_other_scope_edit_page_is_not_found(client, world, model, role):
    client.force_login(world["mine"][role])
    url = edit_url(model, world["other"][model])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_own_scope_detail_page_opens(client, world, model, role):
    client.force_login(world["mine"][role])
    response = client.get(detail_url(model, world["mine"][model]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_list_shows_own_rows_and_never_the_other_scope(client, world, model, role):
    client.force_login(world["mine"][role])
    content = client.get(reverse(LISTS[model])).content.decode()
    assert detail_url(model, world["mine"][model]) in content
    assert detail_url(model, world["other"][model]) not in content
    assert world["other"]["instructor"].name not in content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_search_never_finds_the_other_scope(client, world, model, role):
    client.force_login(world["mine"][role])
    # "zz" are the pinyin initials of 株洲, the other city; a Chinese search too.
    for text in ("zz", "株洲"):
        content = client.get(reverse(LISTS[model]), {"q": text}).content.decode()
        assert detail_url(model, world["other"][model]) not in content


@pytest.mark.parametrize("model", MODELS)
def test_search_finds_own_rows_by_pinyin_initials(client, world, model):
    client.force_login(world["mine"]["admin"])
    content = client.get(reverse(LISTS[model]), {"q": "xt"}).content.decode()
    if model == "batch":  # batches are searched by name only
        content = client.get(reverse(LISTS[model]), {"q": "湘潭"}).content.decode()
    assert detail_url(model, world["mine"][model]) in content


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
@pytest.mark.parametrize("model", MODELS)
def test_non_admin_cannot_open_create_page(client, world, model, role):
    client.force_login(world["mine"][role])
    url = reverse(f"dispatch:{model}_create")
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
@pytest.mark.parametrize("model", MODELS)
def test_non_admin_cannot_open_own_scope_edit_page(client, world, model, role):
    """They see the row (its detail page opens) but may not change it: 403."""
    client.force_login(world["mine"][role])
    assert client.get(edit_url(model, world["mine"][model])).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_admin_opens_own_scope_edit_and_create_pages(client, world, model):
    client.force_login(world["mine"]["admin"])
    assert client.get(edit_url(model, world["mine"][model])).status_code == 200
    assert client.get(reverse(f"dispatch:{model}_create")).status_code == 200


def test_filter_for_another_scopes_batch_shows_nothing_of_it(client, world):
    client.force_login(world["mine"]["admin"])
    response = client.get(
        reverse("dispatch:assignment_list"), {"batch": world["other"]["batch"].pk}
    )
    assert detail_url("assignment", world["other"]["assignment"]) not in response.content.decode()


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_non_admin_cannot_end_an_assignment_early(client, world, role):
    client.force_login(world["mine"][role])
    url = reverse("dispatch:assignment_end_early", args=[world["mine"]["assignment"].pk])
    response = client.post(url, {"ended_on": "2026-07-01", "end_reason": "调动"})
    assert response.status_code == 403
    world["mine"]["assignment"].refresh_from_db()
    assert world["mine"]["assignment"].status == "active"


def test_admin_cannot_end_another_scopes_assignment_early(client, world):
    client.force_login(world["mine"]["admin"])
    url = reverse("dispatch:assignment_end_early", args=[world["other"]["assignment"].pk])
    response = client.post(url, {"ended_on": "2026-07-01", "end_reason": "调动"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_non_admin_sees_no_edit_buttons(client, world, role):
    client.force_login(world["mine"][role])
    assignment = world["mine"]["assignment"]
    content = client.get(detail_url("assignment", assignment)).content.decode()
    assert edit_url("assignment", assignment) not in content
    assert reverse("dispatch:assignment_end_early", args=[assignment.pk]) not in content
