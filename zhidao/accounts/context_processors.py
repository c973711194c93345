from zhidao.accounts.scope import scope_of


def navigation(request):
    """The scope drives which menu entries the shell shows."""
    user = getattr(request, "user", None)
    return {"scope": scope_of(user) if user is not None else None}
