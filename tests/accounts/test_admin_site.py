"""Django's admin is for superusers only; every role works in the product's own pages."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.parametrize("path", ["/admin/", "/admin/orgs/organization/", "/admin/auth/group/"])
def test_federation_admin_with_staff_flag_cannot_open_the_admin(client, world, path):
    admin = world["mine"]["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_superuser_can_open_the_admin(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/").status_code == 200


def test_access_events_cannot_be_changed_or_deleted_in_the_admin(client, db):
    from zhidao.audit.admin import AccessEventAdmin
    from zhidao.audit.models import AccessEvent

    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    event = AccessEvent.objects.latest("created_at")
    change = client.get(reverse("admin:audit_accessevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = client.post(
        reverse("admin:audit_accessevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AccessEvent.objects.filter(pk=event.pk).exists()
    model_admin = AccessEventAdmin(AccessEvent, None)
    assert not model_admin.has_add_permission(None)
