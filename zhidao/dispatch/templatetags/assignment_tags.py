"""Assignments shown on pages of the rooms below dispatch (an organization, a union): the pages
of orgs do not import dispatch; their templates ask these tags, which read through the user's
scope, one query per page."""

from collections import defaultdict

from django import template
from django.utils import timezone

from zhidao.dispatch.models import Assignment, AssignmentOrganization, AssignmentStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def running_assignments(context, organizations) -> dict:
    """{organization id: [its assignments running today that the user may see]} for the
    organizations of the page."""
    user = context["request"].user
    today = timezone.localdate()
    running = Assignment.objects.visible_to(user).filter(
        status=AssignmentStatus.ACTIVE, starts_on__lte=today, ends_on__gte=today
    )
    links = (
        AssignmentOrganization.objects.filter(
            organization_id__in=[organization.pk for organization in organizations],
            assignment__in=running,
        )
        .select_related("assignment__instructor")
        .order_by("assignment__starts_on", "assignment_id")
    )
    by_organization = defaultdict(list)
    for link in links:
        by_organization[link.organization_id].append(link.assignment)
    return by_organization


@register.simple_tag(takes_context=True)
def assignments_at(context, organization):
    """The organization's assignments the user may see, newest first."""
    return (
        Assignment.objects.visible_to(context["request"].user)
        .filter(organization_links__organization=organization)
        .select_related("instructor", "batch")
        .order_by("-starts_on", "-pk")
    )


@register.filter
def of(mapping, key):
    """mapping|of:key — a dict's value in a template."""
    return mapping.get(key, []) if mapping else []


@register.filter
def instructors(running) -> list:
    """The distinct instructors of running_assignments' answer, in their first order."""
    distinct = {}
    for assignments in running.values():
        for assignment in assignments:
            distinct.setdefault(assignment.instructor.pk, assignment.instructor)
    return list(distinct.values())
