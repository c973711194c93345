"""Each view declares the permission it needs, by name, in the one vocabulary of the apps'
`rules.py` (`app.action_model`): a page with `permission_required(...)` or `public`, a class
view with `permission_required`, a viewset with RulesPermission and a permission for each of
its actions, a public endpoint with AllowAny."""

import rules
from django.contrib.auth.models import AnonymousUser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from zhidao.core.api import RulesPermission, required_permission
from zhidao.core.permissions import PUBLIC

from .routes import all_routes

# Views of Django and of the libraries, configured by settings: the language switch (public),
# the admin site (superusers, accounts/admin.py), the OpenAPI schema and its two readers
# (public: SPECTACULAR_SETTINGS) and the router's index (DEFAULT_PERMISSION_CLASSES).
LIBRARY_VIEWS = {
    "set_language",
    "admin:index",
    "api:schema",
    "api:docs",
    "api:redoc",
    "api:api-root",
}


def _exists(permission) -> str | None:
    if callable(permission) or permission == PUBLIC or rules.perm_exists(permission):
        return None
    return f"names {permission!r}, which no rules.py defines"


def _viewset_problem(callback) -> str | None:
    classes = callback.cls.permission_classes
    if AllowAny in classes:
        return None
    if RulesPermission not in classes:
        return "has no RulesPermission among its permission classes"
    for method, action in callback.actions.items():
        if method == "head":
            continue  # answered as GET
        view = callback.cls(**callback.initkwargs)
        view.action = action
        view.kwargs = {}
        view.format_kwarg = None
        request = Request(APIRequestFactory().generic(method.upper(), "/"))
        request.user = AnonymousUser()
        view.request = request
        permission = required_permission(view)
        if permission is None:
            return f"declares no permission for {method.upper()} ({action})"
        problem = _exists(permission)
        if problem:
            return f"{action} {problem}"
    return None


def _problem(route) -> str | None:
    callback = route.callback
    if route.name in LIBRARY_VIEWS:
        return None
    if getattr(callback, "actions", None):
        return _viewset_problem(callback)
    declared = getattr(callback, "required_permission", None)
    view_class = getattr(callback, "view_class", None)
    if declared is None and view_class is not None:
        declared = getattr(view_class, "required_permission", None) or getattr(
            view_class, "permission_required", None
        )
        classes = getattr(view_class, "permission_classes", ())
        if declared is None and (AllowAny in classes or IsAuthenticated in classes):
            return None  # an API view of ours: the token (anyone), the CSRF token (logged in)
    if declared is None:
        return "declares no permission"
    return _exists(declared)


def test_every_view_declares_its_permission():
    problems = [
        f"{route.name}: {problem}" for route in all_routes() if (problem := _problem(route))
    ]
    assert not problems, "\n".join(problems)
