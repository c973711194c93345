"""Pages for instructors, batches and assignments.

Each page declares its permission (dispatch/rules.py): another scope's object is a 404, a role
that may see but not change it gets a 403. Reads go through the `*_visible_to` selectors, writes
through the services; create and edit pages then look objects up in `*_administered_by`.
Edit forms get a copy of the object: a ModelForm writes the typed values into its instance
while validating, and the service must see the stored values to know what changed.
"""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.autocomplete import autocomplete_answer
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.orgs.selectors import federations_administered_by, organizations_administered_by

from . import selectors, services
from .filters import (
    AssignmentFilterSet,
    BatchFilterSet,
    InstructorFilterSet,
    batch_choices,
    batch_label,
)
from .forms import (
    AssignmentForm,
    BatchForm,
    EndEarlyForm,
    InstructorCreateForm,
    InstructorForm,
    add_service_error,
)
from .models import Assignment, AssignmentStatus, Batch, Instructor, InstructorStatus


def _can_administer(user, path: str) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.can_administer_path(path)


def _save(submitted: bool, form, save):
    """Validate a submitted form and save it through a service; None when the page shows again."""
    if not submitted or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_error(form, error)
        return None


def _form_page(request, form, *, title, list_name, list_label, obj=None, subtitle=""):
    """The shared create/edit page of instructors and batches."""
    list_url = reverse(f"dispatch:{list_name}")
    detail_name = list_name.replace("_list", "_detail")
    page = {
        "title": title,
        "subtitle": subtitle,
        "list_url": list_url,
        "list_label": list_label,
        "object": obj,
        "back_url": reverse(f"dispatch:{detail_name}", args=[obj.pk]) if obj else list_url,
    }
    return render(request, "dispatch/object_form.html", {"form": form, "page": page})


# ----- instructors -----


@require_GET
@permission_required("dispatch.view_instructor")
def instructor_autocomplete(request):
    """The instructors a filter offers, as the user types (AutocompleteSelect); with
    `assignable=1` those the assignment form offers: active, of the admin's own subtree."""
    if request.GET.get("assignable") == "1":
        queryset = selectors.instructors_administered_by(request.user).filter(
            status=InstructorStatus.ACTIVE
        )
    else:
        queryset = selectors.instructors_visible_to(request.user)
    queryset = queryset.only("pk", "name")
    return autocomplete_answer(request, queryset, label=lambda row: row.name)


@require_GET
@permission_required("dispatch.view_assignment")
def assignment_autocomplete(request):
    """The assignments a filter offers, found by their instructor's name."""
    queryset = selectors.assignments_visible_to(request.user).select_related("instructor")
    return autocomplete_answer(request, queryset, label=str, prefix="instructor__")


@require_GET
@permission_required("dispatch.view_batch")
def batch_autocomplete(request):
    """The batches the assignment list's filter offers, found by their federation's name (its
    pinyin, its initials) or by their own (第四期)."""
    queryset = batch_choices(request.user)
    return autocomplete_answer(
        request,
        queryset,
        label=batch_label,
        prefix="federation__",
        also=lambda text: Q(name__icontains=text),
    )


@permission_required("dispatch.view_instructor")
def instructor_list(request):
    filterset = InstructorFilterSet(
        request.GET, queryset=selectors.instructor_list(request.user), request=request
    )
    return render(
        request,
        "dispatch/instructor_list.html",
        {"filter_form": filterset.bar, "page_obj": paginate(request, filterset.qs)},
    )


@permission_required("dispatch.view_instructor", Instructor)
def instructor_detail(request, pk: int):
    instructor = get_object_or_404(selectors.instructor_detail(request.user), pk=pk)
    return render(
        request,
        "dispatch/instructor_detail.html",
        {
            "instructor": instructor,
            "assignments": selectors.assignments_of_instructor(request.user, instructor),
            "can_edit": _can_administer(request.user, instructor.federation.path),
        },
    )


def _instructor_fields(form) -> dict:
    names = ["name", "federation", "department", "title", "phone", "status"]
    return {name: form.cleaned_data[name] for name in names}


@permission_required("dispatch.add_instructor")
def instructor_create(request):
    federations = federations_administered_by(request.user)
    form = InstructorCreateForm(
        request.POST or None,
        user=request.user,
        federations=federations,
        initial={"status": InstructorStatus.ACTIVE},
    )
    instructor = _save(
        request.method == "POST",
        form,
        lambda: services.create_instructor_with_account(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            **_instructor_fields(form),
        ),
    )
    if instructor is not None:
        messages.success(
            request,
            _(
                "Instructor %(name)s was added. Their account %(username)s must change the "
                "initial password at first login."
            )
            % {"name": instructor.name, "username": instructor.user.username},
        )
        return redirect("dispatch:instructor_detail", pk=instructor.pk)
    return _form_page(
        request,
        form,
        title=_("Add instructor"),
        list_name="instructor_list",
        list_label=_("Instructors"),
        subtitle=_(
            "A login account is created with the instructor; they must change the initial "
            "password when they first log in."
        ),
    )


@permission_required("dispatch.change_instructor", Instructor)
def instructor_edit(request, pk: int):
    instructor = get_object_or_404(
        selectors.instructors_administered_by(request.user).select_related("federation"), pk=pk
    )
    form = InstructorForm(
        request.POST or None,
        instance=copy(instructor),
        user=request.user,
        federations=federations_administered_by(request.user),
    )
    if (
        _save(
            request.method == "POST",
            form,
            lambda: services.update_instructor(instructor=instructor, **_instructor_fields(form)),
        )
        is not None
    ):
        messages.success(request, _("The instructor's details were saved."))
        return redirect("dispatch:instructor_detail", pk=instructor.pk)
    if request.method == "GET":
        # The edit form is the one place the work phone is shown unmasked (SECURITY.md).
        record_access_event(
            kind=AccessEventKind.UNMASKED_VIEW,
            request=request,
            user=request.user,
            detail=f"instructor {instructor.pk} {instructor.name}: work phone",
        )
    return _form_page(
        request,
        form,
        title=_("Edit instructor"),
        list_name="instructor_list",
        list_label=_("Instructors"),
        obj=instructor,
    )


# ----- batches -----


@permission_required("dispatch.view_batch")
def batch_list(request):
    filterset = BatchFilterSet(
        request.GET, queryset=selectors.batch_list(request.user), request=request
    )
    return render(
        request,
        "dispatch/batch_list.html",
        {"filter_form": filterset.bar, "page_obj": paginate(request, filterset.qs)},
    )


@permission_required("dispatch.view_batch", Batch)
def batch_detail(request, pk: int):
    batch = get_object_or_404(selectors.batch_detail(request.user), pk=pk)
    return render(
        request,
        "dispatch/batch_detail.html",
        {
            "batch": batch,
            "page_obj": paginate(request, selectors.assignments_of_batch(request.user, batch)),
            "can_edit": _can_administer(request.user, batch.federation.path),
        },
    )


def _batch_fields(form) -> dict:
    names = ["name", "year", "federation", "starts_on", "ends_on", "notes"]
    return {name: form.cleaned_data[name] for name in names}


@permission_required("dispatch.add_batch")
def batch_create(request):
    form = BatchForm(
        request.POST or None,
        user=request.user,
        federations=federations_administered_by(request.user),
    )
    batch = _save(
        request.method == "POST", form, lambda: services.create_batch(**_batch_fields(form))
    )
    if batch is not None:
        messages.success(request, _("Batch %(name)s was created.") % {"name": batch.name})
        return redirect("dispatch:batch_detail", pk=batch.pk)
    return _form_page(
        request, form, title=_("New batch"), list_name="batch_list", list_label=_("Batches")
    )


@permission_required("dispatch.change_batch", Batch)
def batch_edit(request, pk: int):
    batch = get_object_or_404(selectors.batches_administered_by(request.user), pk=pk)
    form = BatchForm(
        request.POST or None,
        instance=copy(batch),
        user=request.user,
        federations=federations_administered_by(request.user),
    )
    if (
        _save(
            request.method == "POST",
            form,
            lambda: services.update_batch(batch=batch, **_batch_fields(form)),
        )
        is not None
    ):
        messages.success(request, _("The batch was saved."))
        return redirect("dispatch:batch_detail", pk=batch.pk)
    return _form_page(
        request,
        form,
        title=_("Edit batch"),
        list_name="batch_list",
        list_label=_("Batches"),
        obj=batch,
    )


# ----- assignments -----


@permission_required("dispatch.view_assignment")
def assignment_list(request):
    filterset = AssignmentFilterSet(
        request.GET, queryset=selectors.assignment_list(request.user), request=request
    )
    return render(
        request,
        "dispatch/assignment_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "search_placeholder": _("Organization or instructor"),
        },
    )


def _assignment_detail_page(request, assignment, end_form=None):
    can_edit = _can_administer(request.user, assignment.batch.federation.path)
    can_end_early = can_edit and assignment.status in (
        AssignmentStatus.PLANNED,
        AssignmentStatus.ACTIVE,
    )
    today = timezone.localdate()
    if can_end_early and end_form is None:
        end_form = EndEarlyForm(initial={"ended_on": today})
    return render(
        request,
        "dispatch/assignment_detail.html",
        {
            "assignment": assignment,
            "can_edit": can_edit,
            "end_form": end_form if can_end_early else None,
            "progress": _term_progress(assignment, today),
        },
    )


def _term_progress(assignment, today) -> dict | None:
    """Days served and left of a running assignment, for the progress bar."""
    if assignment.status != AssignmentStatus.ACTIVE or today < assignment.starts_on:
        return None
    total = (assignment.effective_end - assignment.starts_on).days + 1
    served = min((today - assignment.starts_on).days + 1, total)
    return {"total": total, "served": served, "left": total - served}


@permission_required("dispatch.view_assignment", Assignment)
def assignment_detail(request, pk: int):
    assignment = get_object_or_404(selectors.assignment_detail(request.user), pk=pk)
    return _assignment_detail_page(request, assignment)


def _assignment_form(request, assignment=None):
    user = request.user
    offered = Q(status=InstructorStatus.ACTIVE)
    if assignment is not None:
        # An instructor who has since left still shows on the assignments they held.
        offered |= Q(pk=assignment.instructor_id)
    instructors = selectors.instructors_administered_by(user).filter(offered)
    options = {
        "batches": selectors.batches_administered_by(user)
        .select_related("federation")
        .order_by("-starts_on", "name"),
        "instructors": instructors.order_by("name", "pk"),
        "organizations": organizations_administered_by(user),
        "instance": copy(assignment) if assignment is not None else None,
    }
    if request.method != "POST":
        # "Assign to organizations" on an instructor's or a batch's page preselects it.
        initial = {
            name: request.GET[name] for name in ("batch", "instructor") if name in request.GET
        }
        return AssignmentForm(initial=initial, **options), False
    if "_search_organizations" in request.POST:
        # Only refresh the organization list: keep every typed value, report no errors yet.
        initial = {name: request.POST.get(name) for name in request.POST}
        initial["organizations"] = request.POST.getlist("organizations")
        return AssignmentForm(initial=initial, **options), False
    return AssignmentForm(request.POST, **options), True


def _assignment_fields(form) -> dict:
    names = ["batch", "instructor", "starts_on", "ends_on", "min_days_per_week", "notes"]
    fields = {name: form.cleaned_data[name] for name in names}
    fields["organizations"] = list(form.cleaned_data["organizations"])
    return fields


@permission_required("dispatch.add_assignment")
def assignment_create(request):
    form, submitted = _assignment_form(request)
    assignment = _save(
        submitted,
        form,
        lambda: services.create_assignment(today=timezone.localdate(), **_assignment_fields(form)),
    )
    if assignment is not None:
        messages.success(request, _("The assignment was created."))
        return redirect("dispatch:assignment_detail", pk=assignment.pk)
    return render(request, "dispatch/assignment_form.html", {"form": form, "assignment": None})


@permission_required("dispatch.change_assignment", Assignment)
def assignment_edit(request, pk: int):
    assignment = get_object_or_404(
        selectors.assignments_administered_by(request.user).select_related("instructor"), pk=pk
    )
    form, submitted = _assignment_form(request, assignment)
    if (
        _save(
            submitted,
            form,
            lambda: services.update_assignment(
                assignment=assignment, today=timezone.localdate(), **_assignment_fields(form)
            ),
        )
        is not None
    ):
        messages.success(request, _("The assignment was saved."))
        return redirect("dispatch:assignment_detail", pk=assignment.pk)
    return render(
        request, "dispatch/assignment_form.html", {"form": form, "assignment": assignment}
    )


@require_POST
@permission_required("dispatch.change_assignment", Assignment)
def assignment_end_early(request, pk: int):
    assignment = get_object_or_404(selectors.assignment_detail(request.user), pk=pk)
    form = EndEarlyForm(request.POST)
    ended = _save(
        True,
        form,
        lambda: services.end_assignment_early(
            assignment=assignment,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["end_reason"],
        ),
    )
    if ended is not None:
        messages.success(request, _("The assignment was ended early."))
        return redirect("dispatch:assignment_detail", pk=assignment.pk)
    return _assignment_detail_page(request, assignment, end_form=form)
