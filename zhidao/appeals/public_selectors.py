"""Reads for the public (no-login) pages and the poster/intake pages of staff."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from zhidao.accounts.models import Role, RoleGrant
from zhidao.core.scoping import CHANGE
from zhidao.dispatch.models import AssignmentOrganization, AssignmentStatus, Instructor
from zhidao.orgs.models import Organization

from .models import Appeal, AppealEvent, AppealMessage, PosterToken


def organizations_for_posters(user) -> QuerySet[Organization]:
    """Organizations whose poster the user may download and for which the user may enter an
    appeal from another channel: a federation admin's subtree, an instructor's assigned
    organizations (active assignments)."""
    return Organization.objects.visible_to(user, "poster")


def organizations_whose_poster_rotates_for(user) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user, CHANGE)


def active_poster(token: str) -> PosterToken | None:
    return (
        PosterToken.objects.select_related("organization__federation")
        .filter(token=token, active=True)
        .first()
    )


def retired_poster(token: str) -> PosterToken | None:
    return (
        PosterToken.objects.select_related("organization__federation")
        .filter(token=token, active=False)
        .first()
    )


def current_instructor(organization: Organization) -> Instructor | None:
    link = (
        AssignmentOrganization.objects.filter(
            organization=organization, assignment__status=AssignmentStatus.ACTIVE
        )
        .select_related("assignment__instructor")
        .order_by("-assignment__starts_on", "-assignment_id")
        .first()
    )
    return link.assignment.instructor if link else None


@dataclass(frozen=True)
class OfficerContact:
    name: str
    phone: str


def union_officer_contact(organization: Organization) -> OfficerContact | None:
    """The organization's union officer (first officer account), else the union's chair name."""
    if not organization.union_id:
        return None
    grant = (
        RoleGrant.objects.filter(role=Role.UNION_OFFICER, union_id=organization.union_id)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if grant is not None:
        return OfficerContact(name=str(grant.user), phone=grant.user.phone)
    chair = organization.union.chair_name if organization.union else ""
    return OfficerContact(name=chair, phone="") if chair else None


def appeal_for_ticket(code: str) -> Appeal | None:
    """The submitter's own appeal with its public timeline and messages (three queries)."""
    # The ticket code is the submitter's key: an anonymous worker has no other scope.
    return (
        Appeal.objects.unscoped()
        # The federation signs its answer and its messages on the ticket page.
        .select_related("organization", "federation")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=AppealEvent.objects.exclude(public_text="").only(
                    "appeal_id", "public_text", "at", "kind"
                ),
                to_attr="public_events",
            ),
            Prefetch(
                "messages", queryset=AppealMessage.objects.only("appeal_id", "sender", "text", "at")
            ),
        )
        .filter(code=code)
        .first()
    )
