"""Every attachment a signed-in user receives is an access event with its actor; an export is
logged once, as the export."""

from django.urls import reverse

from tests import factories
from zhidao.audit.models import AccessEvent, AccessEventKind


def test_a_downloaded_file_is_logged_with_its_actor_and_address(client, world):
    admin = world["mine"]["admin"]
    client.force_login(admin)

    response = client.get(
        reverse("imports:template", args=["organizations"]), REMOTE_ADDR="10.4.4.4"
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    event = AccessEvent.objects.get(kind=AccessEventKind.DOWNLOAD)
    assert (event.user, event.ip_address) == (admin, "10.4.4.4")
    assert "/imports/organizations/template/" in event.detail


def test_an_export_is_one_event_not_two(client, world):
    client.force_login(factories.audit_admin(world["mine"]["city"]))

    response = client.get(reverse("exports:export", args=["audit-log"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    kinds = list(
        AccessEvent.objects.exclude(kind=AccessEventKind.LOGIN).values_list("kind", flat=True)
    )
    assert kinds == [AccessEventKind.EXPORT]


def test_a_page_is_not_a_download(client, world):
    client.force_login(factories.audit_admin(world["mine"]["city"]))

    assert client.get(reverse("audit:entry_list")).status_code == 200
    assert not AccessEvent.objects.filter(kind=AccessEventKind.DOWNLOAD).exists()
