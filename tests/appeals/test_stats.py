"""The appeal statistics from the summary rows (issue 14): the same numbers as a count written
here over the appeals the test made, after each kind of write; the filtered path stays live."""

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhidao.appeals import services, stats
from zhidao.appeals.models import Appeal, AppealCategoryFigures, AppealMonthFigures
from zhidao.appeals.public_services import rate_appeal, submit_appeal

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)

# (where, received, category): the months straddle the statistics' window (November 2025 to
# November 2026) and a local month boundary (00:30 on 1 November in Shanghai is still
# 31 October in UTC).
PLAN = [
    ("mine_city", datetime(2025, 10, 31, 23, 30, tzinfo=SHANGHAI), "wages"),
    ("mine_city", datetime(2025, 11, 1, 0, 30, tzinfo=SHANGHAI), "wages"),
    ("mine_district", datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), "social_insurance"),
    ("mine_district", datetime(2026, 3, 31, 23, 50, tzinfo=SHANGHAI), "wages"),
    ("mine_district", datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI), "welfare"),
    ("mine_city", datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI), "social_insurance"),
    ("other_city", datetime(2026, 3, 15, 9, 0, tzinfo=SHANGHAI), "wages"),
    ("other_district", datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI), "welfare"),
]


@pytest.fixture
def places(world):
    def org(federation):
        return factories.OrganizationFactory(federation=federation)

    return {
        "mine_city": org(world["mine"]["city"]),
        "mine_district": world["mine"]["organization"],
        "other_city": org(world["other"]["city"]),
        "other_district": world["other"]["organization"],
    }


def submit(organization, at: datetime, category: str) -> Appeal:
    with time_machine.travel(at, tick=False):
        return submit_appeal(
            organization=organization, category=category, description="工资拖欠", anonymous=True
        )


@pytest.fixture
def made(places, django_capture_on_commit_callbacks):
    """The planned appeals, each written and committed (its cells refreshed on commit)."""
    appeals = []
    with django_capture_on_commit_callbacks(execute=True):
        for where, at, category in PLAN:
            appeals.append(submit(places[where], at, category))
    return appeals


def expected(appeals: list[Appeal], federations: set[int]) -> dict:
    """The statistics counted here, by hand, from the appeals as they are in the database."""
    rows = [a for a in Appeal.objects.unscoped().order_by("pk") if a.federation_id in federations]
    by_category = Counter(a.category for a in rows)
    months = Counter(
        a.created_at.astimezone(SHANGHAI).date().replace(day=1)
        for a in rows
        if a.created_at.astimezone(SHANGHAI).date() >= date(2025, 11, 1)
    )
    rated = [a.satisfaction for a in rows if a.satisfaction is not None]
    return {
        "total": len(rows),
        "by_category": dict(by_category),
        "by_month": dict(months),
        "rated": len(rated),
        "satisfaction_average": round(sum(rated) / len(rated), 2) if rated else None,
    }


def shown(client, user, params=None) -> tuple[dict, list[str]]:
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get("/appeals/stats/", params or {})
    assert response.status_code == 200
    result = response.context["stats"]
    return (
        {
            "total": result.total,
            "by_category": {row["category"]: row["count"] for row in result.by_category},
            "by_month": {row["month"]: row["count"] for row in result.by_month},
            "rated": result.rated,
            "satisfaction_average": result.satisfaction_average,
        },
        [query["sql"] for query in queries.captured_queries],
    )


def read_summary(sql: list[str]) -> bool:
    return any("appeals_appealcategoryfigures" in text for text in sql)


def mine(world) -> set[int]:
    return {world["mine"]["city"].pk, world["mine"]["district"].pk}


def test_the_city_admin_sees_the_hand_count_of_the_city_and_its_district(client, world, made):
    numbers, sql = shown(client, world["mine"]["admin"])

    assert read_summary(sql)
    assert numbers == expected(made, mine(world))
    # Written out once, so that the hand count above is itself checked.
    assert numbers["total"] == 6
    assert numbers["by_category"] == {"wages": 3, "social_insurance": 2, "welfare": 1}
    assert numbers["by_month"] == {date(2025, 11, 1): 1, date(2026, 3, 1): 2, date(2026, 11, 1): 2}


def test_the_district_admin_sees_its_district_only(client, world, made):
    district = world["mine"]["district"]
    numbers, sql = shown(client, factories.federation_admin(district))

    assert read_summary(sql)
    assert numbers == expected(made, {district.pk})
    assert numbers["total"] == 3


def test_the_other_city_and_a_user_with_two_subtrees(client, world, made):
    other = {world["other"]["city"].pk, world["other"]["district"].pk}
    assert shown(client, world["other"]["leader"])[0] == expected(made, other)

    both = factories.federation_admin(world["mine"]["district"])
    factories.grant(both, "federation_leader", federation=world["other"]["city"])
    factories.grant(both, "rights_staff", federation=world["other"]["district"])
    numbers, sql = shown(client, both)
    assert read_summary(sql)
    assert numbers == expected(made, other | {world["mine"]["district"].pk})


def test_open_overdue_and_the_median_are_the_live_ones(client, world, made):
    """Read live either way: the summary page shows what the filtered (live) page shows."""
    client.force_login(world["mine"]["admin"])
    with time_machine.travel(TODAY, tick=False):
        summary = client.get("/appeals/stats/").context["stats"]
        # Every appeal came through the QR poster: the same appeals, counted live.
        stats_live = client.get("/appeals/stats/", {"channel": "qr"}).context["stats"]
    assert summary.open == 6
    assert (summary.open, summary.overdue, summary.median_days_to_resolve) == (
        stats_live.open,
        stats_live.overdue,
        stats_live.median_days_to_resolve,
    )


def test_rating_changing_category_and_federation_and_deleting_keep_the_rows(
    client, world, made, django_capture_on_commit_callbacks
):
    admin, instructor = world["mine"]["admin"], world["mine"]["instructor_user"]
    district_appeal, moved, deleted = made[2], made[3], made[5]
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_appeal(appeal=district_appeal, actor=admin)
        services.resolve_appeal(appeal=district_appeal, actor=instructor, resolution="已补发")
        rate_appeal(appeal=district_appeal, satisfaction=4)
        services.accept_appeal(appeal=made[4], actor=admin)
        services.resolve_appeal(appeal=made[4], actor=instructor, resolution="已处理")
        rate_appeal(appeal=made[4], satisfaction=5)
    numbers, sql = shown(client, admin)
    assert read_summary(sql)
    assert numbers == expected(made, mine(world))
    assert (numbers["rated"], numbers["satisfaction_average"]) == (2, 4.5)

    with django_capture_on_commit_callbacks(execute=True):
        moved.category = "working_hours"
        moved.save()
    assert shown(client, admin)[0] == expected(made, mine(world))

    # Attributed to the other city now (a correction by the superuser's admin site): it leaves
    # this subtree's cells and joins the other's.
    with django_capture_on_commit_callbacks(execute=True):
        moved.federation = world["other"]["city"]
        moved.save()
    numbers = shown(client, admin)[0]
    assert numbers == expected(made, mine(world))
    assert numbers["total"] == 5
    other = {world["other"]["city"].pk, world["other"]["district"].pk}
    assert shown(client, world["other"]["admin"])[0] == expected(made, other)

    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()
    numbers = shown(client, admin)[0]
    assert numbers == expected(made, mine(world))
    assert numbers["total"] == 4
    assert numbers["by_category"] == {"wages": 2, "social_insurance": 1, "welfare": 1}


def test_a_state_change_queues_no_recount(world, made, django_capture_on_commit_callbacks):
    """Accepting moves no appeal between cells: nothing to recount after it commits (a rating
    does change its category's sums)."""

    def recounts(callbacks) -> int:
        return sum("_note" in getattr(callback, "__qualname__", "") for callback in callbacks)

    appeal = made[2]
    with django_capture_on_commit_callbacks() as callbacks:
        services.accept_appeal(appeal=appeal, actor=world["mine"]["admin"])
    assert recounts(callbacks) == 0
    with django_capture_on_commit_callbacks() as callbacks:
        services.resolve_appeal(
            appeal=appeal, actor=world["mine"]["instructor_user"], resolution="已补发"
        )
    assert recounts(callbacks) == 0
    with django_capture_on_commit_callbacks() as callbacks:
        rate_appeal(appeal=appeal, satisfaction=3)
    assert recounts(callbacks) == 1


def test_a_filtered_page_counts_live(client, world, made):
    numbers, sql = shown(client, world["mine"]["admin"], {"category": "wages"})

    assert not read_summary(sql)
    assert numbers["total"] == 3
    assert numbers["by_category"] == {"wages": 3}


@pytest.mark.parametrize(
    ("params", "summary"),
    [
        ({"open": "false", "overdue": "", "q": ""}, True),  # no filter, spelt out
        ({"organization": "0"}, False),  # an organization that does not exist: nothing
        ({"state": "lost"}, False),  # a state that does not exist: ignored, counted live
    ],
)
def test_what_counts_as_unfiltered(client, world, made, params, summary):
    numbers, sql = shown(client, world["mine"]["admin"], params)

    assert read_summary(sql) is summary
    expected_total = 0 if params.get("organization") == "0" else 6
    assert numbers["total"] == expected_total


def test_an_instructor_and_a_union_officer_count_live(client, world, made):
    for role in ("instructor_user", "officer"):
        numbers, sql = shown(client, world["mine"][role])
        assert not read_summary(sql)
        # Both see the district organization's appeals only.
        assert numbers == expected(made, {world["mine"]["district"].pk})


def test_the_rebuild_writes_the_rows_the_writes_kept(world, made):
    kept = sorted(AppealMonthFigures.objects.values_list("federation", "month", "received"))
    kept_categories = sorted(
        AppealCategoryFigures.objects.values_list(
            "federation", "category", "received", "rated", "satisfaction_sum"
        )
    )

    stats.rebuild()

    assert sorted(AppealMonthFigures.objects.values_list("federation", "month", "received")) == kept
    assert (
        sorted(
            AppealCategoryFigures.objects.values_list(
                "federation", "category", "received", "rated", "satisfaction_sum"
            )
        )
        == kept_categories
    )
    # Mine: the city in 2025-10, 2025-11 and 2026-11, the district in 2026-03 and 2026-11; the
    # other city in 2026-03, its district in 2026-11.
    assert len(kept) == 7
    assert sum(row[2] for row in kept) == len(PLAN)


def test_a_write_that_rolls_back_leaves_the_rows(world, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                submit(places["mine_city"], TODAY, "wages")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not AppealMonthFigures.objects.exists()


@pytest.mark.parametrize("count", [1, 12])
def test_the_statistics_page_reads_a_fixed_number_of_queries(
    client, world, places, count, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(count):
            where = ("mine_city", "mine_district")[index % 2]
            submit(places[where], datetime(2026, 1 + index % 11, 5, 9, 0, tzinfo=SHANGHAI), "wages")
    _numbers, sql = shown(client, world["mine"]["admin"])
    # Session, user, grants; open and overdue, categories, months, the median; the layout's
    # badges and counts. The same for 1 appeal and for 12.
    assert len(sql) == 13
