"""Every route the code registers, walked from the root URLconf (router routes included), with
the HTTP methods each one answers."""

from dataclasses import dataclass, replace

from django.urls import URLPattern, URLResolver, get_resolver

PAGE_METHODS = ("GET", "POST")
# Django's admin site has its own permission layer (superusers only, accounts/admin.py, tested in
# tests/accounts/test_admin_site.py); the matrix asks its front door only.
ADMIN_FRONT_DOOR = "admin:index"


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def methods(self) -> tuple[str, ...]:
        """What the route answers: a viewset route its action map, an API view its handlers;
        a page is asked GET and POST (a method it does not take must answer 405)."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            # DRF answers HEAD as GET (and adds it to the map once a request has come).
            return tuple(sorted(method.upper() for method in actions if method != "head"))
        view_class = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", None
        )
        if self.is_api and view_class is not None:
            handlers = ("get", "post", "put", "patch", "delete")
            return tuple(sorted(m.upper() for m in handlers if hasattr(view_class, m)))
        return PAGE_METHODS


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(name=name, pattern=prefix + str(pattern.pattern), callback=pattern.callback)


def all_routes() -> list[Route]:
    """One route per URL name (a router's `.json` suffix variant is the same view), the
    admin site's inner pages left out (see ADMIN_FRONT_DOOR)."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.pattern.startswith("admin/") and route.name != ADMIN_FRONT_DOOR:
            continue
        if route.name is None:
            # Named, it can be given an expectation (and reversed).
            route = replace(route, name=f"<unnamed {route.pattern}>")
        if "(?P<format>" in route.pattern or "<drf_format_suffix:format>" in route.pattern:
            continue
        routes.setdefault(route.name, route)
    return sorted(routes.values(), key=lambda route: route.name)
