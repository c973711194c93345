"""Scoped reads of appeals for staff, and what each viewer may see of the submitter.

Who sees an appeal: federation admins, leaders and rights-protection staff of its federation's
subtree; instructors the appeals of the organizations of their assignments and those assigned to
them; union officers those of their union's organizations (redacted). Who sees the contact:
only the assigned handler and rights-protection staff of the subtree; the employer's union officer
never sees it, whatever other role the same account holds.
"""

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth

from zhidao.accounts.models import User
from zhidao.accounts.scope import scope_of
from zhidao.core.crypto import mask_phone
from zhidao.core.selectors import any_of, subtree_q
from zhidao.notifications.models import Notification, NotificationKind
from zhidao.notifications.selectors import inbox, unread_count

from . import stats
from .models import (
    OPEN_STATES,
    Appeal,
    AppealCategoryFigures,
    AppealMonthFigures,
    AppealState,
)
from .services import overdue_q

FULL, MASKED, REDACTED = "full", "masked", "redacted"
MEDIAN_SAMPLE = 2000  # the median time to resolve is taken over the newest resolved appeals

# Contact details inside free text: mobile and landline numbers, ID card numbers, e-mail.
CONTACT_PATTERNS = [
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),  # 18-digit resident ID
    re.compile(r"(?<!\d)\d{15}(?!\d)"),  # old 15-digit resident ID
    re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)"),  # mobile
    re.compile(r"(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)"),  # landline with area code
    re.compile(r"(?<!\d)\d{7,8}(?!\d)"),  # local landline
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
]
REMOVED = "〔已隐去〕"


def strip_contacts(text: str, *, names: tuple[str, ...] = ()) -> str:
    """The text with phone numbers, ID numbers, e-mail addresses and the given names removed."""
    for pattern in CONTACT_PATTERNS:
        text = pattern.sub(REMOVED, text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, REMOVED)
    return text


def mask_name(name: str) -> str:
    """张三丰 → 张**."""
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


def appeals_visible_to(user) -> QuerySet[Appeal]:
    return Appeal.objects.visible_to(user).select_related(
        "organization", "federation", "assigned_instructor"
    )


def contact_access(user, appeal: Appeal) -> str:
    """FULL (name and phone in clear), MASKED (张** / 138****1234) or REDACTED (no identity at all,
    contact details stripped from the text). Uses only columns already loaded with the row."""
    scope = scope_of(user)
    if appeal.organization.union_id is not None and appeal.organization.union_id in scope.union_ids:
        return REDACTED
    if scope.can_handle_rights_path(appeal.federation.path):
        return FULL
    if scope.instructor_id is not None and appeal.assigned_instructor_id == scope.instructor_id:
        return FULL
    return MASKED


@dataclass(frozen=True)
class SubmitterView:
    """What one viewer may see of an appeal's submitter and text."""

    access: str
    name: str
    phone: str
    description: str
    anonymous: bool

    @property
    def is_full(self) -> bool:
        return self.access == FULL

    @property
    def shows_identity(self) -> bool:
        return self.access != REDACTED and not self.anonymous


def submitter_view(user, appeal: Appeal, *, in_clear: bool = True) -> SubmitterView:
    """`in_clear=False` (lists, exports): even a handler gets the masked form there, so contacts
    appear in clear only on the detail page, where each view is audited."""
    access = contact_access(user, appeal)
    if access == FULL and not in_clear:
        access = MASKED
    name, phone = appeal.submitter_name, appeal.submitter_phone
    if access == REDACTED:
        return SubmitterView(
            access=access,
            name="",
            phone="",
            description=strip_contacts(appeal.description, names=(name,)),
            anonymous=appeal.anonymous,
        )
    if access == MASKED:
        return SubmitterView(
            access=access,
            name=mask_name(name),
            phone=mask_phone(phone),
            description=strip_contacts(appeal.description, names=(name,)),
            anonymous=appeal.anonymous,
        )
    return SubmitterView(
        access=access,
        name=name,
        phone=phone,
        description=appeal.description,
        anonymous=appeal.anonymous,
    )


def appeal_list(user) -> QuerySet[Appeal]:
    """The staff's appeal list, newest first (filters.AppealFilterSet narrows it)."""
    return appeals_visible_to(user).order_by("-created_at", "-id")


def appeal_detail(user) -> QuerySet[Appeal]:
    return appeals_visible_to(user).prefetch_related("photos")


def timeline(appeal: Appeal):
    return appeal.events.select_related("actor").order_by("at", "id")


def messages_of(appeal: Appeal):
    return appeal.messages.select_related("author").order_by("at", "id")


def messages_for(view: SubmitterView, appeal: Appeal) -> list:
    """The messages, with contact details stripped from the text unless the viewer sees them."""
    rows = list(messages_of(appeal))
    names = (appeal.submitter_name,)
    for message in rows:
        message.shown_text = (
            message.text if view.is_full else strip_contacts(message.text, names=names)
        )
    return rows


@dataclass(frozen=True)
class AppealStats:
    total: int
    open: int
    overdue: int
    by_category: Sequence[Mapping[str, Any]]
    by_month: Sequence[Mapping[str, Any]]
    median_days_to_resolve: float | None
    satisfaction_average: float | None
    rated: int


def summary_rows_for(user) -> Q | None:
    """The summary rows that add up to exactly the appeals the user sees, as a filter on them:
    the federation subtrees of an admin, a leader or rights-protection staff (every row for a
    superuser). None when the user sees other appeals too or instead (an instructor, a union
    officer): those are counted live. Mirrors Appeal.scoping for the view action."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    if scope.instructor_id is not None or scope.union_ids:
        return None
    paths: list[str] = []
    for path in sorted({*scope.admin_paths, *scope.leader_paths, *scope.rights_paths}, key=len):
        if not any(path.startswith(prefix) for prefix in paths):
            paths.append(path)
    if not paths:
        return None
    return any_of(subtree_q(tuple(paths)))


def stats_since(today: date) -> date:
    """The first month of the statistics' months: the current one and the 12 before it."""
    return date(today.year - 1, today.month, 1)


def appeal_stats(
    appeals: QuerySet[Appeal], *, today: date, summary: Q | None = None
) -> AppealStats:
    """Counts by category and month, the median time to resolve and the average satisfaction,
    aggregated in the database (the median over the newest MEDIAN_SAMPLE resolved appeals).

    `summary` (summary_rows_for(user), when the appeals are all the user sees, unfiltered):
    the totals, categories and months are read from the summary rows (stats.py) instead of
    the appeals — a few thousand rows at the province instead of 100,000. Open, overdue and
    the median are read live either way: they are a minority of the appeals, through indexes.
    """
    base = appeals.order_by()
    since = stats_since(today)
    live = base.filter(state__in=OPEN_STATES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=overdue_q(today))
    )
    # By category with the rated and the sum of satisfaction: the totals are the sums of these
    # (at most one row per category).
    categories: QuerySet[Any, Any]
    months: QuerySet[Any, Any]
    if summary is None:
        categories = base.values("category").annotate(
            count=Count("pk"),
            rated=Count("satisfaction"),
            satisfaction_sum=Sum("satisfaction"),
        )
        months = (
            base.filter(created_at__gte=stats.month_start(since))
            .annotate(month=TruncMonth("created_at", output_field=DateField()))
            .values("month")
            .annotate(count=Count("pk"))
        )
    else:
        categories = (
            AppealCategoryFigures.objects.filter(summary)
            .values("category")
            .annotate(
                count=Sum("received"),
                rated=Sum("rated"),
                satisfaction_sum=Sum("satisfaction_sum"),
            )
            .filter(count__gt=0)
        )
        months = (
            AppealMonthFigures.objects.filter(summary, month__gte=since)
            .values("month")
            .annotate(count=Sum("received"))
            .filter(count__gt=0)
        )
    category_rows = list(categories.order_by("-count", "category"))
    by_category = [{"category": row["category"], "count": row["count"]} for row in category_rows]
    by_month = list(months.order_by("month"))
    rated = sum(row["rated"] for row in category_rows)
    satisfaction_sum = sum(row["satisfaction_sum"] or 0 for row in category_rows)
    durations = list(
        base.filter(resolved_at__isnull=False)
        .annotate(
            taken=ExpressionWrapper(
                F("resolved_at") - F("created_at"), output_field=DurationField()
            )
        )
        .order_by("-resolved_at")
        .values_list("taken", flat=True)[:MEDIAN_SAMPLE]
    )
    median = (
        round(statistics.median(d.total_seconds() for d in durations) / 86400, 1)
        if durations
        else None
    )
    return AppealStats(
        total=sum(row["count"] for row in category_rows),
        open=live["open"],
        overdue=live["overdue"],
        by_category=by_category,
        by_month=by_month,
        median_days_to_resolve=median,
        satisfaction_average=round(satisfaction_sum / rated, 2) if rated else None,
        rated=rated,
    )


def open_appeal_counts(user, *, today: date) -> dict[str, int]:
    """The open appeals the user may see, those still waiting to be accepted and those past a
    deadline: one aggregate query (the rights-protection staff's home page)."""
    return (
        appeals_visible_to(user)
        .order_by()
        .aggregate(
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            to_accept=Count("pk", filter=Q(state=AppealState.RECEIVED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    )


def notifications_of(user: User) -> QuerySet[Notification]:
    """The escalations in the user's inbox (the one inbox of the notifications room)."""
    return inbox(user, kind=NotificationKind.APPEAL_ESCALATED)[:50]


def unread_notifications(user: User) -> int:
    return unread_count(user, kind=NotificationKind.APPEAL_ESCALATED)
