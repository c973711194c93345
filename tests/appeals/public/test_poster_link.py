"""The organization page leads to its QR poster for those who may print it."""

from django.urls import reverse


def test_admin_sees_the_poster_link_and_leader_does_not(client, world):
    organization = world["mine"]["organization"]
    poster = reverse("appeals_public:poster", args=[organization.pk])
    client.force_login(world["mine"]["admin"])
    page = client.get(reverse("orgs:organization_detail", args=[organization.pk]))
    assert poster in page.content.decode()
    assert "二维码海报" in page.content.decode()
    client.force_login(world["mine"]["leader"])
    page = client.get(reverse("orgs:organization_detail", args=[organization.pk]))
    assert poster not in page.content.decode()
