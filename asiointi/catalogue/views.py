"""The staff's pages of point profiles: the profiles, a profile with its requirements, deleting an
unused profile, and the profile of each service point with the gaps it gives.

Who may: network planners and administrators keep the profiles and give them to points (they plan
the whole network); a point manager reads their own points' profiles and gaps; everyone else gets
403. Reads go through the ``access_*`` selectors, writes through the services, one transaction each.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import PointProfileForm, ProfileForm, RequirementFormSet
from .models import PointProfile

#: The profile's model fields whose errors belong to another field of the form.
_FIELD_OF = {"name": "name_fi", "description": "description_fi"}


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's refusal beside its field, or above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, found in error.error_dict.items():
        field = _FIELD_OF.get(name, name)
        for item in found:
            form.add_error(field if field in form.fields else None, item)


def _refused(form: ProfileForm, formset: Any, rows: list[int], error: ValidationError) -> None:
    """The service's refusal: a requirement's beside its row's fields, the rest on the profile's."""
    if isinstance(error, services.RequirementsRefused):
        for index, found in error.by_index.items():
            _add_errors(formset.forms[rows[index]], ValidationError(found))
            formset.forms[rows[index]].describe_errors()
    else:
        _add_errors(form, error)
        form.describe_errors()


def _profile_page(
    request: HttpRequest, form: ProfileForm, formset: Any, profile: PointProfile | None
) -> HttpResponse:
    has_errors = bool(form.errors or formset.total_error_count())
    return render(
        request,
        "catalogue/profile_form.html",
        {"form": form, "formset": formset, "profile": profile, "has_errors": has_errors},
        status=400 if has_errors else 200,
    )


@never_cache
@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    """Network planners and administrators: the profiles, the fullest first, with their
    requirements and how many points have each. Everyone else 403."""
    rows = selectors.profile_list_in_use(viewer=request.user)
    return render(request, "catalogue/profile_list.html", {"rows": rows})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request: HttpRequest) -> HttpResponse:
    """Network planners and administrators: a new profile with its requirements, in one form.
    Everyone else 403."""
    selectors.access_profile_keeping(viewer=request.user)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data)
    formset = RequirementFormSet(data, prefix="requirements")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = formset.requirements()
        try:
            profile = services.point_profile_create(
                code=form.cleaned_data["code"], **form.terms(), requirements=[r for _i, r in rows]
            )
        except ValidationError as error:
            _refused(form, formset, [i for i, _r in rows], error)
        else:
            messages.success(request, _("The profile “%(profile)s” was saved.") % {"profile": profile.name})
            return redirect("staff:profile_list")
    return _profile_page(request, form, formset, None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Network planners and administrators: a profile's names, descriptions, kinds of point,
    visiting days and requirements (a requirement is removed by marking it). Everyone else 403; a
    profile that does not exist 404."""
    profile = selectors.access_profile(viewer=request.user, profile_id=profile_id)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, initial=ProfileForm.initial_of(profile), editing=True)
    formset = RequirementFormSet(
        data,
        prefix="requirements",
        initial=[{"agency": r.agency, "channels": list(r.channels)} for r in profile.requirements.all()],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = formset.requirements()
        try:
            profile = services.point_profile_update(
                profile=profile, **form.terms(), requirements=[r for _i, r in rows]
            )
        except ValidationError as error:
            _refused(form, formset, [i for i, _r in rows], error)
        else:
            messages.success(request, _("The profile “%(profile)s” was saved.") % {"profile": profile.name})
            return redirect("staff:profile_edit", profile_id=profile.pk)
    return _profile_page(request, form, formset, profile)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_delete(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Network planners and administrators: delete a profile that no point has (a profile in use
    says so and stays). Everyone else 403; a profile that does not exist 404."""
    profile = selectors.access_profile(viewer=request.user, profile_id=profile_id)
    refusal = ""
    if request.method == "POST":
        try:
            services.point_profile_delete(profile=profile)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The profile “%(profile)s” was deleted.") % {"profile": profile.name})
            return redirect("staff:profile_list")
    return render(
        request,
        "catalogue/profile_delete.html",
        {"profile": profile, "in_use": services.point_profile_in_use(profile=profile), "refusal": refusal},
        status=400 if refusal else 200,
    )


@never_cache
@login_required
def point_profile_list(request: HttpRequest) -> HttpResponse:
    """Network planners and administrators (every active point, with a link to change its profile)
    and point managers (their own points, to read): each point's profile and its number of gaps.
    Everyone else 403."""
    checked, may_change = selectors.points_with_profiles(viewer=request.user)
    return render(
        request, "catalogue/point_profile_list.html", {"checked": checked, "may_change": may_change}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def point_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """A service point's profile and its gaps. Network planners and administrators change the
    profile: "Show the gaps" shows what a chosen profile would give without saving, "Save" gives it
    and the page shows the gaps at once. A point manager reads their own point's (another point
    404, a change 403); everyone else 403."""
    point, may_change = selectors.access_point_profile(viewer=request.user, slug=slug)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    current = selectors.point_gaps(point=point)
    form = PointProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"profile": current.profile},
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["profile"]
        if "preview" in request.POST:
            if chosen is not None:
                preview = selectors.point_gaps_against(point=point, profile=chosen)
        else:
            try:
                services.point_profile_set(point=point, profile=chosen)
            except ValidationError as error:
                _add_errors(form, error)
                form.describe_errors()
            else:
                after = selectors.point_gaps(point=point)
                if after.profile is None:
                    messages.success(request, _("The service point has no profile now."))
                else:
                    messages.success(
                        request,
                        ngettext(
                            "The profile “%(profile)s” was given to the service point: %(count)d gap.",
                            "The profile “%(profile)s” was given to the service point: %(count)d gaps.",
                            after.gap_count,
                        )
                        % {"profile": after.profile.name, "count": after.gap_count},
                    )
                return redirect("staff:point_profile", slug=point.slug)
    return render(
        request,
        "catalogue/point_profile.html",
        {"point": point, "checked": current, "form": form, "may_change": may_change, "preview": preview},
        status=400 if form.errors else 200,
    )
