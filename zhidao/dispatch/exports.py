"""The batch list as an export (zhidao/core/exports.py). Instructors and assignments are exported
in their import columns by zhidao/imports."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.exports import Column, ListExport, register

from . import selectors
from .filters import BatchFilterSet

register(
    ListExport(
        key="batches",
        title=_("Batches"),
        permission="dispatch.view_batch",
        queryset=selectors.batch_list,
        filterset_class=BatchFilterSet,
        list_url="dispatch:batch_list",
        columns=[
            Column(_("Batch"), lambda batch: batch.name),
            Column(_("Federation"), lambda batch: batch.federation.name),
            Column(_("Year"), lambda batch: batch.year),
            Column(_("Starts on"), lambda batch: batch.starts_on),
            Column(_("Ends on"), lambda batch: batch.ends_on),
            Column(_("Total assignments"), lambda batch: batch.assignment_count),
            Column(
                pgettext_lazy("assignment status", "In progress"),
                lambda batch: batch.active_assignment_count,
            ),
            Column(_("Notes"), lambda batch: batch.notes),
        ],
    )
)
