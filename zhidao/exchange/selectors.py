"""Scoped reads of events, cases and their boards.

An event or a case belongs to a federation; its community is that federation's subtree: the
instructors of federations in it, the officers of unions in it, and the federation staff above or
inside it. Events are also filtered by their audience (instructors, officers or both).
"""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import NOTHING, any_of, subtree_q
from zhidao.orgs.models import PATH_STEP, Union

from .models import (
    Attendance,
    Audience,
    Case,
    CaseStatus,
    Event,
    Post,
    Registration,
    UsefulMark,
)
from .search import search_tokens

_STEP = PATH_STEP + 1  # four characters and a dot per level


def ancestor_paths(path: str) -> list[str]:
    """ "0001.0003." -> ["0001.", "0001.0003."]: the node and every federation above it."""
    return [path[:end] for end in range(_STEP, len(path) + 1, _STEP)]


def _membership(user) -> tuple[list[str], list[str]]:
    """Federation paths the user belongs to as an instructor, and as a union officer."""
    cached = getattr(user, "_exchange_membership", None)
    if cached is not None:
        return cached
    scope = scope_of(user)
    instructor_paths: list[str] = []
    officer_paths: list[str] = []
    if scope.is_instructor:
        instructor_paths = [user.instructor.federation.path]
    if scope.union_ids:
        officer_paths = list(
            Union.objects.filter(pk__in=scope.union_ids).values_list("federation__path", flat=True)
        )
    user._exchange_membership = (instructor_paths, officer_paths)
    return user._exchange_membership


def _above(paths: list[str], field: str = "federation__path") -> Q:
    """Rows whose federation is one of the paths or above one of them."""
    ancestors = sorted({a for path in paths for a in ancestor_paths(path)})
    return Q(**{f"{field}__in": ancestors}) if ancestors else NOTHING


def event_audience_q(user) -> Q:
    """Events the user is an audience member of (may register and sign in)."""
    instructor_paths, officer_paths = _membership(user)
    conditions = []
    if instructor_paths:
        conditions.append(
            _above(instructor_paths) & Q(audience__in=[Audience.INSTRUCTORS, Audience.BOTH])
        )
    if officer_paths:
        conditions.append(
            _above(officer_paths) & Q(audience__in=[Audience.OFFICERS, Audience.BOTH])
        )
    return any_of(conditions)


def events_visible_to(user) -> QuerySet[Event]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Event.objects.all()
    staff = list(scope.federation_paths)
    conditions = [event_audience_q(user), *subtree_q(scope.federation_paths)]
    if staff:
        conditions.append(_above(staff))
    return Event.objects.filter(any_of(conditions))


def events_open_to(user) -> QuerySet[Event]:
    """Events whose audience the user is in: who may register and sign in."""
    return Event.objects.filter(event_audience_q(user))


def events_administered_by(user) -> QuerySet[Event]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(any_of(subtree_q(scope.admin_paths)))


def event_list(user, *, q: str = "", kind: str = "", upcoming_only: bool = False, today=None):
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    events = events_visible_to(user).select_related("federation", "host_union")
    if q:
        events = events.filter(Q(title__icontains=q) | Q(speaker__icontains=q))
    if kind:
        events = events.filter(kind=kind)
    events = events.order_by("-held_on", "-starts_at", "-id")
    if upcoming_only and today:
        events = events.filter(held_on__gte=today).order_by("held_on", "starts_at", "id")
    registered = Registration.objects.filter(event=OuterRef("pk"), user=user)
    attended = Attendance.objects.filter(event=OuterRef("pk"), user=user)
    return events.annotate(
        registration_count=Count("registrations", distinct=True),
        is_registered=Exists(registered),
        has_attended=Exists(attended),
    )


def event_detail(user, pk: int) -> Event:
    return (
        event_list(user).annotate(attendance_count=Count("attendances", distinct=True)).get(pk=pk)
    )


def attendance_list(event: Event) -> QuerySet[Attendance]:
    return event.attendances.select_related("user", "user__instructor").order_by("signed_in_at")


def board_posts(**target) -> QuerySet[Post]:
    """The top-level posts of an event or a case, each with its replies."""
    replies = Post.objects.select_related("author").order_by("created_at", "id")
    return (
        Post.objects.filter(parent__isnull=True, **target)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


# ----- cases -----


def _case_community_q(user) -> Q:
    scope = scope_of(user)
    instructor_paths, officer_paths = _membership(user)
    members = instructor_paths + officer_paths + list(scope.federation_paths)
    return any_of([_above(members), *subtree_q(scope.federation_paths)])


def cases_visible_to(user) -> QuerySet[Case]:
    """Published cases of the user's community; unpublished ones to the author and the admins."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Case.objects.all()
    published = Q(status=CaseStatus.PUBLISHED) & _case_community_q(user)
    own = Q(author=user) if user.is_authenticated else NOTHING
    return Case.objects.filter(any_of([published, own, *subtree_q(scope.admin_paths)]))


def cases_reviewable_by(user) -> QuerySet[Case]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(any_of(subtree_q(scope.admin_paths)))


def cases_editable_by(user) -> QuerySet[Case]:
    return Case.objects.filter(author=user, status__in=[CaseStatus.DRAFT, CaseStatus.RETURNED])


def search_cases(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Every jieba token of the query must be a token of the case (works on any database)."""
    q = (q or "").strip()
    if not q:
        return cases
    tokens = search_tokens(q)
    if not tokens:
        return cases.filter(title__icontains=q)
    condition = Q()
    for token in tokens:
        condition &= Q(search_text__contains=f" {token} ")
    return cases.filter(condition | Q(title__icontains=q))


def case_list(user, *, q: str = "", status: str = "", union=None) -> QuerySet[Case]:
    cases = cases_visible_to(user).select_related("union", "author")
    cases = search_cases(cases, q)
    if status:
        cases = cases.filter(status=status)
    if union:
        cases = cases.filter(union=union)
    return cases.annotate(
        useful_count=Count("useful_marks", distinct=True),
        comment_count=Count("comments", distinct=True),
    ).order_by(F("published_at").desc(nulls_last=True), "-updated_at", "-id")


def case_detail(user, pk: int) -> Case:
    marked = UsefulMark.objects.filter(case=OuterRef("pk"), user=user)
    return (
        case_list(user)
        .annotate(marked_useful=Exists(marked))
        .prefetch_related("images", "attachments", "transitions__actor", "comments__author")
        .get(pk=pk)
    )
