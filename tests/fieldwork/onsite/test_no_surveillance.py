"""Evidence, not surveillance (README "Evidence, not surveillance"): photos and location stay
optional at check-in, no location track is collected, and no page or API ranks individuals by
activity counts (the 2026 rules on government mobile apps forbid forced check-ins, point
rankings and track uploads). Each test fails if someone adds the thing it forbids."""

import importlib
import re
import uuid

import django_filters
import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from zhidao.accounts.models import User
from zhidao.api.urls import router
from zhidao.dispatch.models import Instructor
from zhidao.fieldwork.models import OnSiteDay

from .conftest import place

# Orderings that would rank people by what they did: counts, totals, days, points, scores.
RANKING = re.compile(r"count|total|days|records|score|point|rank|activity|num_", re.IGNORECASE)
RANKING_WORDS = ("排名", "排行", "名次", "积分", "龙虎榜")
PEOPLE = (Instructor, User)


def test_check_in_and_out_without_photo_or_location_succeed_on_the_page_and_the_api(site, client):
    client.force_login(site["mine"]["instructor_user"])
    page = client.post(
        reverse("fieldwork:check_in"),
        {"client_uuid": str(uuid.uuid4()), "place": place(site), "summary": "见了工会主席"},
    )
    api = APIClient()
    api.force_authenticate(site["other"]["instructor_user"])
    created = api.post(
        "/api/on-site-days/",
        {
            "client_uuid": str(uuid.uuid4()),
            "assignment": site["other"]["assignment"].pk,
            "organization": site["other"]["organization"].pk,
            "summary": "座谈",
        },
        format="json",
    )
    checked_out = api.post(
        f"/api/on-site-days/{created.json()['id']}/check-out/", {"summary": "完成"}, format="json"
    )

    assert page.status_code == 302
    assert (created.status_code, checked_out.status_code) == (201, 200)
    days = OnSiteDay.objects.order_by("pk")
    assert days.count() == 2
    for day in days:
        assert day.latitude is None and day.longitude is None
        assert not day.photos.exists()
    assert days.last().checked_out_at is not None


def test_no_model_keeps_a_location_track():
    """A position is kept once per on-site day (the check-in point, when the phone gives it) and
    per organization (its address); no model of positions over time exists."""
    with_positions = {
        model._meta.label
        for model in apps.get_models()
        if {"latitude", "longitude"} & {field.name for field in model._meta.get_fields()}
    }

    assert with_positions == {"orgs.Organization", "fieldwork.OnSiteDay"}
    assert OnSiteDay._meta.get_field("latitude").null  # optional


def _view(viewset, user):
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    view = viewset(request=request, format_kwarg=None, kwargs={}, action="list")
    return view, request


def test_no_api_lets_people_be_ordered_by_a_count(world):
    """Every API list's allowed `ordering` fields (DRF's OrderingFilter) over instructors or
    accounts: none is a count, total or score, and none is an annotation."""
    checked = 0
    for _prefix, viewset, _basename in router.registry:
        if not hasattr(viewset, "get_queryset"):
            continue
        view, request = _view(viewset, world["mine"]["admin"])
        queryset = view.get_queryset()
        if not issubclass(queryset.model, PEOPLE):
            continue
        if OrderingFilter not in [*view.filter_backends]:
            continue
        valid = [
            name
            for name, _label in OrderingFilter().get_valid_fields(
                queryset, view, {"request": request}
            )
        ]
        checked += 1
        assert not [name for name in valid if RANKING.search(name)], viewset
        assert not set(valid) & set(queryset.query.annotations), viewset
        default_order = {str(term).lstrip("-") for term in queryset.query.order_by}
        assert not default_order & set(queryset.query.annotations), viewset
    assert checked >= 2  # the instructors' and the accounts' lists at least


def _filtersets():
    for config in apps.get_app_configs():
        if not config.name.startswith("zhidao."):
            continue
        for module in ("filters", "records.filters", "onsite.filters", "compliance.filters"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                continue
    pending, found = list(django_filters.FilterSet.__subclasses__()), []
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("zhidao."):
            found.append(cls)
    return found


def test_no_list_page_offers_an_ordering_of_people_by_a_count():
    filtersets = _filtersets()
    assert any(fs._meta.model is Instructor for fs in filtersets)
    for filterset in filtersets:
        for name, field in filterset.base_filters.items():
            if isinstance(field, django_filters.OrderingFilter):
                assert filterset._meta.model not in PEOPLE, (filterset, name)
                assert not [f for f in field.param_map if RANKING.search(f)], (filterset, name)


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_dashboard_and_instructor_list_show_no_ranking(world, client, role):
    client.force_login(world["mine"][role])
    pages = [
        reverse("core:federation_dashboard"),
        reverse("core:federation_dashboard") + f"?organization={world['mine']['organization'].pk}",
        reverse("dispatch:instructor_list"),
        reverse("core:home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not [word for word in RANKING_WORDS if word in html], url
