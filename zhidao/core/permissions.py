"""One permission vocabulary for pages: each view declares the `rules` permission it needs
(`app.action_model`, defined in the apps' `rules.py`) and, for a page about one object, the
model that object is.

The order of the checks is the rule of the whole platform (DESIGN.md, SECURITY.md):
- no login → the login page;
- the object is looked up through `Model.objects.visible_to(user)`: another scope's object is a
  404, never a 403, so its existence is not confirmed;
- the user may see the object (or the page) but not do what the page does → 403;
- a wrong state or input is the service's ValidationError, shown at the form (or a 400).

The API reads the same permissions through `zhidao.core.api.RulesPermission`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

# What a view that anybody may open (no login) declares.
PUBLIC = "public"

Permission = str | Callable[[Mapping[str, Any]], str | None]


def permission_required(
    permission: Permission, model: type[models.Model] | None = None, *, lookup: str = "pk"
) -> Callable:
    """Declare the permission a function view needs.

    `permission` is a name, or a function of the URL's keyword arguments giving one (a page
    whose `<action>` decides the permission; None for an unknown action: 404). With `model`,
    the object is the row of `model.objects.visible_to(user)` whose pk is the URL's `lookup`.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = None
            if model is not None:
                obj = visible_object(model, user, kwargs.get(lookup))
            name = permission(kwargs) if callable(permission) else permission
            if name is None:
                raise Http404
            if not user.has_perm(name, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public(view: Callable) -> Callable:
    """Declare a view open to anyone, logged in or not (the QR pages, the login page)."""
    view.required_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def visible_object(model: type[models.Model], user, pk) -> models.Model:
    """The row the user may see, or 404: the scoped lookup every object permission starts from."""
    try:
        found = model._default_manager.visible_to(user).filter(pk=pk).first()  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found
