from django import template

from zhidao.accounts.scope import scope_of

from .. import selectors
from ..views import radar_data

register = template.Library()


@register.inclusion_tag("standards/includes/union_standards.html", takes_context=True)
def union_standards_section(context, union):
    """The union page's standardization part: scores over time, radar, honours, activities."""
    user = context["request"].user
    section = selectors.union_section(union)
    scope = scope_of(user)
    return {
        **section,
        "union": union,
        "chart": radar_data(section["assessments"]),
        "can_add_honour": scope.is_superuser or scope.can_administer_path(union.federation.path),
        "can_add_activity": scope.is_superuser
        or union.pk in scope.union_ids
        or scope.is_instructor
        or scope.can_administer_path(union.federation.path),
        "is_instructor": scope.is_instructor,
    }
