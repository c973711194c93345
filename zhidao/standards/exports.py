"""The lists of assessments, honours and activities as exports (zhidao/core/exports.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.exports import Column, ListExport, register

from . import selectors
from .filters import ActivityFilterSet, AssessmentFilterSet, HonourFilterSet

register(
    ListExport(
        key="assessments",
        title=_("Standardization assessments"),
        permission="standards.view_assessment",
        queryset=selectors.assessment_list,
        filterset_class=AssessmentFilterSet,
        list_url="standards:assessment_list",
        columns=[
            Column(_("Union"), lambda assessment: assessment.union.name),
            Column(
                pgettext_lazy("standards", "Kind"), lambda assessment: assessment.get_kind_display()
            ),
            Column(_("Date"), lambda assessment: assessment.assessed_on),
            Column(_("Instructor"), lambda assessment: assessment.instructor.name),
            Column(
                _("Total score"),
                lambda assessment: (
                    float(assessment.total_score) if assessment.total_score is not None else None
                ),
            ),
            Column(_("Indicator set"), lambda assessment: str(assessment.indicator_set)),
            Column(_("Notes"), lambda assessment: assessment.notes),
        ],
    )
)

register(
    ListExport(
        key="honours",
        title=_("Honours"),
        permission="standards.view_honour",
        queryset=selectors.honour_list,
        filterset_class=HonourFilterSet,
        list_url="standards:honour_list",
        columns=[
            Column(pgettext_lazy("honour", "Title"), lambda honour: honour.title.name),
            Column(_("Union"), lambda honour: honour.union.name),
            Column(_("Person honoured"), lambda honour: honour.person_name),
            Column(_("Level"), lambda honour: honour.get_level_display()),
            Column(_("Year"), lambda honour: honour.year),
            Column(_("Awarded on"), lambda honour: honour.awarded_on),
            Column(_("Notes"), lambda honour: honour.notes),
        ],
    )
)

register(
    ListExport(
        key="activities",
        title=_("Activities"),
        permission="standards.view_activity",
        queryset=selectors.activity_list,
        filterset_class=ActivityFilterSet,
        list_url="standards:activity_list",
        columns=[
            Column(pgettext_lazy("activity", "Title"), lambda activity: activity.title),
            Column(_("Union"), lambda activity: activity.union.name),
            Column(
                pgettext_lazy("standards", "Kind"), lambda activity: activity.get_kind_display()
            ),
            Column(_("Date"), lambda activity: activity.held_on),
            Column(
                pgettext_lazy("activity", "Participants"),
                lambda activity: activity.participant_count,
            ),
            Column(_("Photos"), lambda activity: activity.photo_count),
            Column(pgettext_lazy("activity", "Report"), lambda activity: activity.report),
        ],
    )
)
