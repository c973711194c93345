import pytest
from django.urls import reverse

from .conftest import make_finding, make_matter, make_record

ROLES = ["admin", "leader", "instructor_user", "officer"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_its_own_scope_pages(client, world, role):
    mine = world["mine"]
    record, finding, matter = make_record(mine), make_finding(mine), make_matter(mine)
    client.force_login(mine[role])
    for url in [
        reverse("fieldwork:work_record_list"),
        reverse("fieldwork:work_record_detail", args=[record.pk]),
        reverse("fieldwork:finding_list"),
        reverse("fieldwork:finding_detail", args=[finding.pk]),
        reverse("fieldwork:practical_matter_list"),
        reverse("fieldwork:practical_matter_detail", args=[matter.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
