"""The holiday calendar: the years known and their days; federation admins add a year by hand."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zhidao.core.permissions import permission_required

from . import selectors, services
from .forms import ManualYearForm


@permission_required("holidays.view_calendaryear")
def calendar(request):
    return render(
        request,
        "holidays/calendar.html",
        {
            "years": selectors.calendar_years(),
            "can_edit": services.can_edit_calendar(request.user),
        },
    )


@permission_required("holidays.view_calendaryear")
def year_detail(request, year: int):
    calendar_year = get_object_or_404(selectors.calendar_years(), year=year)
    return render(
        request,
        "holidays/year_detail.html",
        {"calendar_year": calendar_year, "days": selectors.days_of_year(calendar_year)},
    )


@permission_required("holidays.add_calendaryear")
def year_create(request):
    form = ManualYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_year = services.create_manual_year(
                actor=request.user,
                year=form.cleaned_data["year"],
                holidays=form.cleaned_data["holidays"],
                workdays=form.cleaned_data["workdays"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The calendar of %(year)s was saved.") % {"year": calendar_year.year}
            )
            return redirect("holidays:year_detail", year=calendar_year.year)
    return render(request, "holidays/year_form.html", {"form": form})
