"""appeals 0005: the migration fills the statistics' summary rows from the appeals already there
(counted here, by hand), and going back drops them."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories
from zhidao.appeals.models import Appeal, AppealCategoryFigures, AppealMonthFigures
from zhidao.appeals.public_services import submit_appeal

SHANGHAI = ZoneInfo("Asia/Shanghai")


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_migration_fills_the_rows_of_the_appeals_already_there(transactional_db):
    city = factories.make_federation(name="湘潭市总工会")
    district = factories.make_federation(name="雨湖区总工会", level="district", parent=city)
    plan = [
        (city, datetime(2026, 1, 31, 23, 30, tzinfo=SHANGHAI), "wages"),
        (city, datetime(2026, 2, 1, 0, 30, tzinfo=SHANGHAI), "wages"),
        (district, datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI), "welfare"),
    ]
    for federation, at, category in plan:
        with time_machine.travel(at, tick=False):
            submit_appeal(
                organization=factories.OrganizationFactory(federation=federation),
                category=category,
                description="工资拖欠",
                anonymous=True,
            )
    Appeal.objects.unscoped().filter(category="welfare").update(satisfaction=4)
    try:
        migrate([("appeals", "0004_delete_notification")])
        migrate(leaves())

        months = Counter(
            (a.federation_id, a.created_at.astimezone(SHANGHAI).date().replace(day=1))
            for a in Appeal.objects.unscoped()
        )
        assert {
            (row.federation_id, row.month): row.received for row in AppealMonthFigures.objects.all()
        } == dict(months)
        assert len(months) == 3  # January and February at the city, February at the district
        assert sorted(
            AppealCategoryFigures.objects.values_list(
                "federation_id", "category", "received", "rated", "satisfaction_sum"
            )
        ) == sorted([(city.pk, "wages", 2, 0, 0), (district.pk, "welfare", 1, 1, 4)])
    finally:
        migrate(leaves())
