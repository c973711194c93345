from django import template
from django.urls import reverse

from ..public_selectors import organizations_for_posters

register = template.Library()


@register.simple_tag(takes_context=True)
def poster_url(context, organization) -> str:
    """The organization's poster page when the user may print it (one query), else ""."""
    user = context["request"].user
    if not organizations_for_posters(user).filter(pk=organization.pk).exists():
        return ""
    return reverse("appeals_public:poster", args=[organization.pk])
