"""Schema-driven fuzzing (SECURITY.md): every operation of /api/schema/, on the small demo, as the
federation admin and as an instructor, answers without a server error, with a documented
content type, and inside its own response schema.

schemathesis generates the requests from the schema (valid ones and invalid ones), a bounded
and derandomized number per operation, and sends them to the WSGI application inside the test's
transaction: each request's writes are rolled back, so every example starts from the demo and
nothing reaches the tests after this module. Half of the generated ids (path, query and body)
are replaced by ids the user can see, or random ids would only ever meet a 404.

The tests after the fuzz pin down what it found, one behaviour each.
"""

import json
from collections import defaultdict
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from zhidao.accounts.models import User
from zhidao.appeals.models import Appeal, PosterToken
from zhidao.exchange.models import Case as ExperienceCase
from zhidao.exchange.models import Event
from zhidao.fieldwork.models import FindingTransition, LeaveRequest, OnSiteDay
from zhidao.reports.models import ReportTransition
from zhidao.wsgi import application

# Examples per operation and generation mode (valid, invalid): 2 roles x ~125 operations.
EXAMPLES = 10
LOGINS = {"admin": "admin", "instructor": "ouyang"}
# Every response is checked for these; a status code the schema does not list (a 400, a 403, a
# 404 on most operations) is not a failure: drf-spectacular documents the successes only.
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
# A query or body field of this name holds an id of this list endpoint.
RELATED = {
    "assignment": "assignments",
    "batch": "batches",
    "federation": "federations",
    "parent": "federations",
    "district": "federations",
    "union": "unions",
    "host_union": "unions",
    "instructor": "instructors",
    "organization": "organizations",
    "organizations": "organizations",
    "on_site_day": "on-site-days",
}


def _served_schema() -> dict:
    """The schema /api/schema/ serves, built without a request (no database at collection)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


SCHEMA = schemathesis.openapi.from_dict(
    _served_schema(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {"deterministic": True, "database": "none"},
            # The coverage phase sends hundreds of boundary cases per write operation.
            "phases": {"coverage": {"enabled": False}},
        }
    ),
)
SCHEMA.app = application

# The ids each role sees, by list endpoint (and a few other known values), and the role of the
# running test: the hooks below read both while generating.
_known: dict[str, dict[str, list]] = {}
_current: dict[str, str] = {}


def _visible_ids(token: str) -> dict[str, list]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    ids: dict[str, list] = defaultdict(list)
    for path, item in SCHEMA.raw_schema["paths"].items():
        if "get" not in item or "{" in path:
            continue
        response = client.get(path)
        body = response.json() if response.status_code == 200 else None
        rows = body.get("results") if isinstance(body, dict) else None
        if isinstance(rows, list):
            endpoint = path.strip("/").removeprefix("api/")
            # An evaluation is addressed by its assignment's id.
            ids[endpoint] = [row.get("id", row.get("assignment")) for row in rows]
    year = timezone.localdate().year
    ids["year"] = [year, year - 1]
    ids["quarter"] = [1, 2, 3, 4]
    ids["token"] = list(PosterToken.objects.filter(active=True).values_list("token", flat=True)[:5])
    ids["code"] = list(Appeal.objects.values_list("code", flat=True)[:5])
    return ids


def _half_known(values: Any, names: dict[str, str]) -> st.SearchStrategy:
    """The generated values, or the same with some ids replaced by ones the user sees."""
    if not isinstance(values, dict):
        return st.just(values)
    known = _known[_current["role"]]
    replacements = {}
    for name, value in values.items():
        ids = known.get(names.get(name, name))
        if not ids:
            continue
        real = st.sampled_from(ids)
        if isinstance(value, list):
            real = st.lists(real, min_size=1, max_size=2, unique=True)
        replacements[name] = st.one_of(real, st.just(value))
    if not replacements:
        return st.just(values)
    return st.fixed_dictionaries(replacements).map(lambda chosen: {**values, **chosen})


def _endpoint(context) -> str:
    return context.operation.path.strip("/").removeprefix("api/").split("/{")[0]


@SCHEMA.hook
def flatmap_path_parameters(context, path_parameters):
    return _half_known(path_parameters, {"id": _endpoint(context)})


@SCHEMA.hook
def flatmap_query(context, query):
    return _half_known(query, RELATED)


@SCHEMA.hook
def flatmap_body(context, body):
    return _half_known(body, RELATED)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo and a token per role, loaded once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", size="small", organizations=60, verbosity=0)
        tokens = {
            role: Token.objects.create(user=User.objects.get(username=username)).key
            for role, username in LOGINS.items()
        }
        for role, token in tokens.items():
            _known[role] = _visible_ids(token)
        yield tokens
        transaction.set_rollback(True)
    # The public endpoints count look-ups per address in the cache.
    cache.clear()


@pytest.fixture
def wsgi_in_test_transaction(demo, db):
    # Django's test client does the same: a request's end closes the database connection,
    # which would end the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def as_admin(demo, wsgi_in_test_transaction):
    _current["role"] = "admin"
    return demo["admin"]


@pytest.fixture
def as_instructor(demo, wsgi_in_test_transaction):
    _current["role"] = "instructor"
    return demo["instructor"]


def call_and_check(case, token: str):
    # A savepoint per request: its writes are undone, and a query that failed (PostgreSQL then
    # refuses every later one in the transaction) spoils no later example.
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {token}"})
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
    return response


BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # Generating a request body is slow for the larger schemas; the demo fixture is shared.
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.fuzz
@SCHEMA.parametrize()
@BOUNDED
def test_api_as_federation_admin(case, as_admin):
    call_and_check(case, as_admin)


@pytest.mark.fuzz
@SCHEMA.parametrize()
@BOUNDED
def test_api_as_instructor(case, as_instructor):
    call_and_check(case, as_instructor)


# ----- what the fuzz found -----


def check(token: str, method: str, path: str, *, query=None, **path_parameters):
    case = SCHEMA[path][method].Case(path_parameters=path_parameters, query=query)
    return call_and_check(case, token)


def test_an_appeal_never_escalated_matches_its_schema(as_admin):
    appeal = Appeal.objects.filter(escalation_reason="").first()
    assert (
        check(as_admin, "GET", "/api/appeals/{id}/", id=appeal.pk).json()["escalation_reason"] == ""
    )


def test_a_findings_opening_transition_matches_its_schema(as_admin):
    opening = FindingTransition.objects.filter(from_status="").first()
    check(as_admin, "GET", "/api/findings/{id}/", id=opening.finding_id)


def test_a_reports_first_transition_matches_its_schema(as_admin):
    first = ReportTransition.objects.filter(from_status="").first()
    check(as_admin, "GET", "/api/quarterly-reports/{id}/", id=first.report_id)


def test_an_unconfirmed_on_site_day_matches_its_schema(as_admin):
    day = OnSiteDay.objects.filter(confirmed_by=None, disputed_by=None).first()
    shown = check(as_admin, "GET", "/api/on-site-days/{id}/", id=day.pk).json()
    assert (shown["confirmation_method"], shown["confirmed_by_name"]) == ("", None)


def test_a_leave_request_nobody_decided_matches_its_schema(as_admin):
    leave = LeaveRequest.objects.filter(decided_by=None).first()
    assert (
        check(as_admin, "GET", "/api/leave-requests/{id}/", id=leave.pk).json()["decided_by_name"]
        is None
    )


def test_an_events_times_match_their_schema(as_admin):
    event = Event.objects.first()
    shown = check(as_admin, "GET", "/api/exchange-events/{id}/", id=event.pk).json()
    assert shown["starts_at"] == event.starts_at.isoformat()


def test_discussion_boards_and_comments_are_the_plain_lists_their_schemas_say(as_admin):
    event, case = Event.objects.first(), ExperienceCase.objects.first()
    assert isinstance(
        check(as_admin, "GET", "/api/exchange-events/{id}/posts/", id=event.pk).json(), list
    )
    check(as_admin, "GET", "/api/cases/{id}/posts/", id=case.pk)
    check(as_admin, "GET", "/api/cases/{id}/comments/", id=case.pk)


def test_the_compliance_grid_matches_its_schema(as_admin):
    # The grid is the federation staff's (as the heat-map page): an admin reads it.
    assert "rows" in check(as_admin, "GET", "/api/compliance/").json()


def test_the_evaluation_docx_has_its_documented_content_type(as_admin):
    evaluated = _known["admin"]["evaluations"][0]
    check(as_admin, "GET", "/api/evaluations/{id}/download/", id=evaluated)


def test_a_malformed_ticket_code_is_a_json_404(as_admin):
    response = check(as_admin, "GET", "/api/public/tickets/{code}/", code="ü")
    assert response.status_code == 404
