"""The summary rows behind the appeal statistics (AppealMonthFigures, AppealCategoryFigures).

A cell is one federation and one month of receipt (the local month of `created_at`), or one
federation and one category. An appeal write notes the cells it touches — the appeal's old and
new federation, month and category — and once the write commits those cells are recounted from
the appeals (a few hundred rows at most each, through the federation's index). Only a receipt,
a deletion, a rating and a change of federation or category touch them: open and overdue depend
on the state and on today and are read live, like the median time to resolve.

Bulk writes send no signals: the demo loaders wrap themselves in `refresh_paused()` and call
`rebuild()` afterwards; the nightly task `appeals.rebuild_stats` (and the management command
rebuild_appeal_stats) rebuilds every row, catching anything a lost refresh missed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from .models import Appeal, AppealCategoryFigures, AppealMonthFigures

log = logging.getLogger(__name__)
_state = threading.local()

# The fields whose change moves an appeal between cells or changes a cell's sums.
TRACKED = ("federation_id", "created_at", "category", "satisfaction")
MonthCell = tuple[int, date]
CategoryCell = tuple[int, str]


def month_of(moment: datetime) -> date:
    """The first day of the local month that holds the moment."""
    return timezone.localtime(moment).date().replace(day=1)


def month_start(month: date) -> datetime:
    """Local midnight of the month's first day."""
    return timezone.make_aware(datetime.combine(month.replace(day=1), time.min))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@contextmanager
def refresh_paused():
    """Note nothing while a bulk load writes (it calls rebuild() itself afterwards)."""
    _state.paused = getattr(_state, "paused", 0) + 1
    try:
        yield
    finally:
        _state.paused -= 1


def refresh_cells(months: Iterable[MonthCell] = (), categories: Iterable[CategoryCell] = ()) -> int:
    """Recount the given cells from the appeals; a cell with no appeal loses its row."""
    written = 0
    appeals = Appeal.objects.unscoped().order_by()
    for federation_id, month in set(months):
        with transaction.atomic():
            # The row's lock serializes two refreshes of one cell: the later one counts after
            # the earlier one wrote.
            list(
                AppealMonthFigures.objects.select_for_update().filter(
                    federation_id=federation_id, month=month
                )
            )
            received = appeals.filter(
                federation_id=federation_id,
                created_at__gte=month_start(month),
                created_at__lt=month_start(next_month(month)),
            ).count()
            if received:
                AppealMonthFigures.objects.update_or_create(
                    federation_id=federation_id, month=month, defaults={"received": received}
                )
            else:
                AppealMonthFigures.objects.filter(federation_id=federation_id, month=month).delete()
        written += 1
    for federation_id, category in set(categories):
        with transaction.atomic():
            list(
                AppealCategoryFigures.objects.select_for_update().filter(
                    federation_id=federation_id, category=category
                )
            )
            sums = appeals.filter(federation_id=federation_id, category=category).aggregate(
                received=Count("pk"), rated=Count("satisfaction"), total=Sum("satisfaction")
            )
            if sums["received"]:
                AppealCategoryFigures.objects.update_or_create(
                    federation_id=federation_id,
                    category=category,
                    defaults={
                        "received": sums["received"],
                        "rated": sums["rated"],
                        "satisfaction_sum": sums["total"] or 0,
                    },
                )
            else:
                AppealCategoryFigures.objects.filter(
                    federation_id=federation_id, category=category
                ).delete()
        written += 1
    return written


def rebuild() -> int:
    """Every summary row from the appeals, in one transaction: two grouped scans."""
    appeals = Appeal.objects.unscoped().order_by()
    with transaction.atomic():
        AppealMonthFigures.objects.all().delete()
        AppealCategoryFigures.objects.all().delete()
        month_rows = [
            AppealMonthFigures(
                federation_id=row["federation_id"], month=row["month"], received=row["received"]
            )
            for row in appeals.annotate(month=TruncMonth("created_at", output_field=DateField()))
            .values("federation_id", "month")
            .annotate(received=Count("pk"))
        ]
        category_rows = [
            AppealCategoryFigures(
                federation_id=row["federation_id"],
                category=row["category"],
                received=row["received"],
                rated=row["rated"],
                satisfaction_sum=row["total"] or 0,
            )
            for row in appeals.values("federation_id", "category").annotate(
                received=Count("pk"), rated=Count("satisfaction"), total=Sum("satisfaction")
            )
        ]
        AppealMonthFigures.objects.bulk_create(month_rows, batch_size=1000)
        AppealCategoryFigures.objects.bulk_create(category_rows, batch_size=1000)
    return len(month_rows) + len(category_rows)


# ----- noting the cells an appeal write touches -----


def _values(instance: Appeal) -> tuple:
    # From __dict__ only: reading a deferred field here would cost a query per row loaded.
    return tuple(instance.__dict__.get(name) for name in TRACKED)


def _cells_of(values: tuple) -> tuple[list[MonthCell], list[CategoryCell]]:
    federation_id, created_at, category, _satisfaction = values
    if federation_id is None:
        return [], []
    months = [(federation_id, month_of(created_at))] if created_at is not None else []
    categories = [(federation_id, category)] if category else []
    return months, categories


def _note(*states: tuple) -> None:
    if getattr(_state, "paused", 0):
        return
    months: list[MonthCell] = []
    categories: list[CategoryCell] = []
    for values in states:
        more_months, more_categories = _cells_of(values)
        months += more_months
        categories += more_categories
    if not months and not categories:
        return

    def refresh() -> None:
        try:
            refresh_cells(months, categories)
        except Exception:  # the nightly rebuild catches up; the write itself stands
            log.exception("appeal statistics rows could not be refreshed")

    transaction.on_commit(refresh)  # outside a transaction: runs now


def _appeal_loaded(sender, instance: Appeal, **kwargs) -> None:
    instance._stats_origin = _values(instance)


def _appeal_saved(sender, instance: Appeal, created: bool, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not {"federation", "category", "satisfaction"} & {
        name.removesuffix("_id") for name in update_fields
    }:
        return  # a state change: no cell moves
    origin = getattr(instance, "_stats_origin", None)
    current = tuple(getattr(instance, name) for name in TRACKED)
    instance._stats_origin = current
    if created or origin is None:
        _note(current)
    elif origin != current:
        if None in origin[:3]:  # a field deferred when the row was loaded: its cells unknown
            origin = current
        _note(current, origin)


def _appeal_deleted(sender, instance: Appeal, **kwargs) -> None:
    origin = getattr(instance, "_stats_origin", None) or _values(instance)
    _note(_values(instance), origin)


post_init.connect(_appeal_loaded, sender=Appeal, dispatch_uid="appeal-stats-init")
post_save.connect(_appeal_saved, sender=Appeal, dispatch_uid="appeal-stats-save")
post_delete.connect(_appeal_deleted, sender=Appeal, dispatch_uid="appeal-stats-delete")
