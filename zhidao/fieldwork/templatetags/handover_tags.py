from django import template

from zhidao.fieldwork.records.selectors import previous_open_findings

register = template.Library()


@register.inclusion_tag("fieldwork/records/handover.html", takes_context=True)
def handover_findings(context, assignment):
    """The previous terms' findings still open at the assignment's organizations."""
    request = context["request"]
    return {"handover_findings": list(previous_open_findings(request.user, assignment)[:50])}
