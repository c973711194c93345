"""Every role × model: another scope's object is a 404 and never shows up in a list or search."""

import pytest
from django.urls import reverse

ROLES = ["admin", "leader", "instructor_user", "officer"]
# The model in `world` and the list page that shows it.
PAGES = {
    "district": "orgs:federation_{}",
    "organization": "orgs:organization_{}",
    "union": "orgs:union_{}",
}
# Search texts that would find the other scope's rows: a name part and pinyin initials.
OTHER_SEARCHES = {
    "district": ["株洲", "zzqzgh"],
    "organization": ["株洲测试", "zzcsyxgs"],
    "union": ["株洲测试", "zzcsgh"],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(PAGES))
def test_other_scope_detail_page_is_not_found(world, login, role, model):
    client = login(world["mine"][role])
    other = world["other"][model]
    response = client.get(reverse(PAGES[model].format("detail"), args=[other.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(PAGES))
def test_other_scope_edit_page_is_not_found(world, login, role, model):
    client = login(world["mine"][role])
    other = world["other"][model]
    url = reverse(PAGES[model].format("edit"), args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名"}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ["organization", "union"])
def test_each_role_opens_its_own_organization_and_union(world, login, role, model):
    client = login(world["mine"][role])
    mine = world["mine"][model]
    response = client.get(reverse(PAGES[model].format("detail"), args=[mine.pk]))
    assert response.status_code == 200
    assert mine.name in response.content.decode()


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_federation_staff_open_their_own_federation(world, login, role):
    client = login(world["mine"][role])
    response = client.get(reverse("orgs:federation_detail", args=[world["mine"]["district"].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["instructor_user", "officer"])
def test_field_roles_have_no_federation_pages(world, login, role):
    """The tree is the staff's: its list is refused (403), a federation is not found (404)."""
    client = login(world["mine"][role])
    assert client.get(reverse("orgs:federation_list")).status_code == 403
    district = world["mine"]["district"]
    assert client.get(reverse("orgs:federation_detail", args=[district.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ["organization", "union"])
def test_list_shows_own_rows_and_not_the_other_scope(world, login, role, model):
    client = login(world["mine"][role])
    page = client.get(reverse(PAGES[model].format("list"))).content.decode()
    assert world["mine"][model].name in page
    assert "株洲" not in page


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_federation_list_shows_own_tree_and_not_the_other(world, login, role):
    client = login(world["mine"][role])
    page = client.get(reverse("orgs:federation_list")).content.decode()
    assert world["mine"]["city"].name in page
    assert world["mine"]["district"].name in page
    assert "株洲" not in page


SEARCHABLE = [
    (role, model)
    for role in ROLES
    for model in PAGES
    # Field roles have no federation list at all (see test_field_roles_have_no_federation_pages).
    if model != "district" or role in ("admin", "leader")
]


@pytest.mark.parametrize(("role", "model"), SEARCHABLE)
def test_search_never_finds_the_other_scope(world, login, role, model):
    client = login(world["mine"][role])
    for text in OTHER_SEARCHES[model]:
        response = client.get(reverse(PAGES[model].format("list")), {"q": text})
        assert response.status_code == 200
        assert list(response.context["page_obj"]) == []
        assert world["other"][model].name not in response.content.decode()


@pytest.mark.parametrize("model", list(PAGES))
def test_search_by_pinyin_initials_finds_own_rows(world, login, model):
    client = login(world["mine"]["admin"])
    initials = {"district": "xtqzgh", "organization": "xtcsyxgs", "union": "xtcsgh"}[model]
    response = client.get(reverse(PAGES[model].format("list")), {"q": initials})
    assert list(response.context["page_obj"]) == [world["mine"][model]]


@pytest.mark.parametrize("model", ["organization", "union"])
def test_federation_filter_offers_only_the_own_tree(world, login, model):
    client = login(world["mine"]["leader"])
    response = client.get(reverse(PAGES[model].format("list")))
    choices = set(response.context["filter_form"].fields["federation"].queryset)
    assert choices == {world["mine"]["city"], world["mine"]["district"]}


@pytest.mark.parametrize("model", ["organization", "union"])
def test_filtering_by_the_other_scopes_federation_shows_nothing_of_it(world, login, model):
    client = login(world["mine"]["admin"])
    other_city = world["other"]["city"]
    response = client.get(reverse(PAGES[model].format("list")), {"federation": other_city.pk})
    assert world["other"][model] not in list(response.context["page_obj"])


def test_organization_district_filter_lists_only_own_districts(world, login):
    world["other"]["organization"].district = "芦淞区"
    world["other"]["organization"].save()
    client = login(world["mine"]["admin"])
    response = client.get(reverse("orgs:organization_list"))
    # Any text filters the API; the page offers the districts in use, as a select.
    districts = dict(response.context["filter_form"].fields["district"].widget.choices)
    assert "芦淞区" not in districts
    assert world["mine"]["organization"].district in districts


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
@pytest.mark.parametrize("model", list(PAGES))
def test_non_admins_cannot_open_create_pages(world, login, role, model):
    client = login(world["mine"][role])
    url = reverse(PAGES[model].format("create"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "新建"}).status_code == 403


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
@pytest.mark.parametrize("model", list(PAGES))
def test_non_admins_cannot_open_edit_pages_of_their_own_scope(world, login, role, model):
    client = login(world["mine"][role])
    url = reverse(PAGES[model].format("edit"), args=[world["mine"][model].pk])
    # Who sees the row may not change it (403); federations are not the field roles' (404).
    sees = model != "district" or role == "leader"
    assert client.get(url).status_code == (403 if sees else 404)


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_read_only_roles_see_no_edit_button(world, login, role):
    client = login(world["mine"][role])
    organization = world["mine"]["organization"]
    page = client.get(reverse("orgs:organization_detail", args=[organization.pk])).content
    assert reverse("orgs:organization_edit", args=[organization.pk]).encode() not in page


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("orgs:organization_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
