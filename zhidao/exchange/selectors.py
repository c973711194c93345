"""Scoped reads of events, cases and their boards.

An event or a case belongs to a federation; its community is that federation's subtree: the
instructors of federations in it, the officers of unions in it, and the federation staff above or
inside it. Events are also filtered by their audience (instructors, officers or both).
"""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from zhidao.core.scoping import CHANGE

from .models import (
    Attendance,
    Case,
    Event,
    Post,
    Registration,
    UsefulMark,
)
from .search import search_tokens


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.visible_to(user)


def events_open_to(user) -> QuerySet[Event]:
    """Events whose audience the user is in: who may register and sign in."""
    return Event.objects.visible_to(user, "attend")


def events_administered_by(user) -> QuerySet[Event]:
    return Event.objects.visible_to(user, CHANGE)


def event_list(user) -> QuerySet[Event]:
    """The event list page's rows, newest first (filters.EventFilterSet narrows them)."""
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    events = (
        events_visible_to(user)
        .select_related("federation", "host_union")
        .order_by("-held_on", "-starts_at", "-id")
    )
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


def cases_visible_to(user) -> QuerySet[Case]:
    """Published cases of the user's community; unpublished ones to the author and the admins."""
    return Case.objects.visible_to(user)


def cases_reviewable_by(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user, "review")


def cases_editable_by(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user, CHANGE)


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


def case_list(user) -> QuerySet[Case]:
    """The case list page's rows (filters.CaseFilterSet narrows them)."""
    return (
        cases_visible_to(user)
        .select_related("union", "author")
        .annotate(
            useful_count=Count("useful_marks", distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .order_by(F("published_at").desc(nulls_last=True), "-updated_at", "-id")
    )


def case_detail(user, pk: int) -> Case:
    marked = UsefulMark.objects.filter(case=OuterRef("pk"), user=user)
    return (
        case_list(user)
        .annotate(marked_useful=Exists(marked))
        .prefetch_related("images", "attachments", "transitions__actor", "comments__author")
        .get(pk=pk)
    )
