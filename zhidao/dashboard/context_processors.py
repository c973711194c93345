from django.utils.functional import SimpleLazyObject

from .workbench import navigation_badges


def workbench_badges(request):
    """The navigation's badges, computed only when a template shows them, once per request."""
    return {"workbench_badges": SimpleLazyObject(lambda: navigation_badges(request))}
