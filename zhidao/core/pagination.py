from django.core.paginator import Page, Paginator
from rest_framework.pagination import PageNumberPagination

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


def paginate(request, queryset, *, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """A bounded page of the queryset; a page number past the end shows the last page."""
    try:
        per_page = min(int(request.GET.get("per_page", per_page)), MAX_PER_PAGE)
    except ValueError:
        per_page = DEFAULT_PER_PAGE
    paginator = Paginator(queryset, max(per_page, 1))
    return paginator.get_page(request.GET.get("page"))


class BoundedPageNumberPagination(PageNumberPagination):
    """The API's pages: 50 rows, at most 200 (a module of its own: DRF imports it while it is
    still loading its generic views)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
