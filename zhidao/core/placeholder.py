from django.http import HttpResponse


def placeholder(request, **kwargs):
    """Stands for a page that another part of the work is building."""
    return HttpResponse("")
