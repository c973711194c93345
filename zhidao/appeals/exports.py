"""The appeal list as an export (zhidao/core/exports.py), redacted for the viewer like the list
page: contacts masked (张** / 138****1234) in every export, left out for the employer's union
officer, the text stripped of contact details where the page strips them."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhidao.core.exports import Column, ListExport, register

from . import selectors, services
from .filters import AppealFilterSet


def _columns(user) -> list[Column]:
    today = timezone.localdate()

    def submitter(appeal) -> selectors.SubmitterView:
        return selectors.submitter_view(user, appeal, in_clear=False)

    def shows_contact(appeal) -> bool:
        return not appeal.anonymous and submitter(appeal).access != selectors.REDACTED

    return [
        Column(_("Ticket code"), lambda appeal: appeal.code),
        Column(_("Received at"), lambda appeal: appeal.created_at),
        Column(_("Organization"), lambda appeal: appeal.organization.name),
        Column(_("Channel"), lambda appeal: appeal.get_channel_display()),
        Column(_("Category"), lambda appeal: appeal.get_category_display()),
        Column(_("State"), lambda appeal: appeal.get_state_display()),
        Column(
            _("Handler"),
            lambda appeal: (
                appeal.assigned_instructor.name
                if appeal.assigned_instructor
                else appeal.assigned_department
            ),
        ),
        Column(
            _("Submitter"),
            lambda appeal: (
                _("Anonymous")
                if appeal.anonymous
                else (submitter(appeal).name if shows_contact(appeal) else "")
            ),
        ),
        Column(_("Phone"), lambda appeal: submitter(appeal).phone if shows_contact(appeal) else ""),
        Column(_("Description"), lambda appeal: submitter(appeal).description),
        Column(_("Resolve by"), lambda appeal: appeal.resolve_due),
        Column(_("Overdue"), lambda appeal: services.missed_deadline(appeal, today=today) > 0),
        Column(_("Satisfaction"), lambda appeal: appeal.satisfaction or ""),
    ]


register(
    ListExport(
        key="appeals",
        title=_("Appeals"),
        permission="appeals.view_appeal",
        queryset=selectors.appeal_list,
        filterset_class=AppealFilterSet,
        list_url="appeals:appeal_list",
        columns=_columns,
    )
)
