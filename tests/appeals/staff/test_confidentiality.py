"""The employer's union officer never sees who appealed; handlers see it, and each view in clear
is in the access log; everyone else sees it masked."""

import io

import pytest
from openpyxl import load_workbook

from tests.appeals.staff.conftest import NAME, PHONE
from zhidao.appeals import services
from zhidao.audit.models import AccessEvent, AccessEventKind

pytestmark = pytest.mark.django_db


def _accepted(appeal, world):
    return services.accept_appeal(appeal=appeal, actor=world["mine"]["admin"])


def _text_of_workbook(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def test_union_officer_of_the_employer_never_sees_name_or_phone_on_the_detail_page(
    client, world, named_appeal
):
    client.force_login(world["mine"]["officer"])

    page = client.get(f"/appeals/{named_appeal.pk}/").content.decode()

    assert named_appeal.code in page
    assert NAME not in page and NAME[0] + "*" not in page
    assert PHONE not in page and "139****5678" not in page
    assert "430302199001011234" not in page
    assert "车间拖欠三个月工资" in page


def test_union_officer_list_export_and_search_by_name_reveal_nothing(client, world, named_appeal):
    client.force_login(world["mine"]["officer"])

    listing = client.get("/appeals/").content.decode()
    search = client.get("/appeals/", {"q": NAME}).content.decode()
    export = client.get("/exports/appeals/")

    assert named_appeal.code in listing
    assert NAME not in listing and PHONE not in listing and "139****" not in listing
    assert named_appeal.code not in search
    text = _text_of_workbook(export.content)
    assert named_appeal.code in text
    assert NAME not in text and PHONE not in text and "139****" not in text and "王*" not in text


def test_union_officer_api_shows_no_identity(client, world, named_appeal):
    client.force_login(world["mine"]["officer"])

    listing = client.get("/api/appeals/").content.decode()
    detail = client.get(f"/api/appeals/{named_appeal.pk}/").content.decode()

    for body in (listing, detail):
        assert named_appeal.code in body
        assert NAME not in body and PHONE not in body and "139****" not in body
        assert "430302199001011234" not in body


def test_union_officer_who_is_also_rights_staff_still_sees_no_identity(client, world, named_appeal):
    from tests import factories
    from zhidao.accounts.models import Role

    officer = world["mine"]["officer"]
    factories.grant(officer, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    client.force_login(officer)

    page = client.get(f"/appeals/{named_appeal.pk}/").content.decode()

    assert NAME not in page and PHONE not in page


def test_assigned_instructor_sees_the_contact_and_each_view_is_logged(client, world, named_appeal):
    _accepted(named_appeal, world)
    client.force_login(world["mine"]["instructor_user"])

    first = client.get(f"/appeals/{named_appeal.pk}/").content.decode()
    client.get(f"/appeals/{named_appeal.pk}/")

    assert NAME in first and PHONE in first
    events = AccessEvent.objects.filter(
        kind=AccessEventKind.UNMASKED_VIEW, user=world["mine"]["instructor_user"]
    )
    assert events.count() == 2
    assert events.first().detail.startswith(f"appeal {named_appeal.code}")


def test_rights_staff_of_the_subtree_see_the_contact(client, world, named_appeal, rights_staff):
    client.force_login(rights_staff)

    page = client.get(f"/appeals/{named_appeal.pk}/").content.decode()

    assert NAME in page and PHONE in page
    assert AccessEvent.objects.filter(
        kind=AccessEventKind.UNMASKED_VIEW, user=rights_staff
    ).exists()


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_federation_admins_and_leaders_see_the_contact_masked(client, world, named_appeal, role):
    client.force_login(world["mine"][role])

    page = client.get(f"/appeals/{named_appeal.pk}/").content.decode()

    assert "王*" in page and "139****5678" in page
    assert NAME not in page and PHONE not in page
    assert not AccessEvent.objects.filter(kind=AccessEventKind.UNMASKED_VIEW).exists()


def test_an_instructor_who_is_not_the_handler_sees_the_contact_masked(client, world, named_appeal):
    services.accept_appeal(
        appeal=named_appeal, actor=world["mine"]["admin"], department="权益保障部"
    )
    # The organization's instructor sees its appeals, but this one is handled by the department.
    client.force_login(world["mine"]["instructor_user"])

    page = client.get(f"/appeals/{named_appeal.pk}/").content.decode()

    assert "王*" in page and NAME not in page and PHONE not in page


def test_another_federation_gets_404_on_page_and_api(client, world, named_appeal):
    for role in ("admin", "instructor_user", "officer", "leader"):
        client.force_login(world["other"][role])
        assert client.get(f"/appeals/{named_appeal.pk}/").status_code == 404
        assert client.get(f"/api/appeals/{named_appeal.pk}/").status_code == 404
        assert named_appeal.code not in client.get("/appeals/").content.decode()


def test_the_list_shows_contacts_masked_even_to_the_handler(client, world, named_appeal):
    _accepted(named_appeal, world)
    client.force_login(world["mine"]["instructor_user"])

    listing = client.get("/appeals/").content.decode()

    assert "王*" in listing and NAME not in listing and PHONE not in listing
