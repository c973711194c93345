from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Account administration by federation admins (账号管理). Above orgs and dispatch, whose
    federations, unions and instructors give an account its scope; the accounts themselves
    (User, RoleGrant) stay in accounts, at the bottom, where login needs them."""

    name = "zhidao.people"
    verbose_name = _("Account administration")
