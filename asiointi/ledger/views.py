"""The monthly statements' and the compensation agreements' pages for staff (not the administration).

Who may use them: a point manager, for the statements of their own points (approves and sends them);
an agency coordinator, for the statements addressed to their agency (read-only); a network planner and
an administrator, for every statement (read-only). Other roles get 403, a statement outside the
viewer's scope 404. Reads go through :mod:`asiointi.ledger.selectors` (``access_statement``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asiointi.network.models import Agency, ServicePoint

from . import selectors, services
from .exports import statement_csv, statement_filename, statement_xlsx
from .forms import AgreementForm, StatementFilterForm
from .models import Statement


@never_cache
@login_required
@require_GET
def statement_list(request: HttpRequest) -> HttpResponse:
    """Point managers, coordinators, planners and administrators: the statements they may read, by
    month and agency, filtered by month and agency."""
    rows = selectors.statement_list(viewer=request.user)
    agencies = sorted({(s.agency_id, str(s.agency.name)) for s in rows}, key=lambda a: a[1])
    form = StatementFilterForm(request.GET or None, agencies=agencies)
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["month"]:
                rows = rows.filter(month=form.cleaned_data["month"])
            if form.cleaned_data["agency"]:
                rows = rows.filter(agency_id=form.cleaned_data["agency"])
        else:
            rows = rows.none()
            status = 400
    return render(
        request, "ledger/statement_list.html", {"form": form, "statements": rows[:500]}, status=status
    )


def _lines(statement: Statement) -> list[dict[str, object]]:
    return [
        {"line": line, "description": selectors.line_description(line)}
        for line in selectors.statement_lines(statement=statement)
    ]


@never_cache
@login_required
@require_GET
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Those who read statements: one statement with its lines; its point's manager approves and
    sends it here."""
    statement = selectors.access_statement(viewer=request.user, statement_id=statement_id)
    return render(
        request,
        "ledger/statement_detail.html",
        {
            "statement": statement,
            "lines": _lines(statement),
            "may_change": selectors.statement_may_change(viewer=request.user, statement=statement),
        },
    )


@never_cache
@login_required
@require_GET
def statement_print(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Those who read statements: the statement as a printable page (A4)."""
    statement = selectors.access_statement(viewer=request.user, statement_id=statement_id)
    return render(
        request, "ledger/statement_print.html", {"statement": statement, "lines": _lines(statement)}
    )


@login_required
@require_POST
def statement_approve(request: HttpRequest, statement_id: int) -> HttpResponse:
    """The point's manager: approve the statement (it is locked from then on)."""
    statement = selectors.access_statement(viewer=request.user, statement_id=statement_id, to_change=True)
    try:
        services.statement_approve(statement=statement, approved_by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statement was approved. It can no longer change."))
    return redirect("ledger:statement", statement_id=statement.pk)


@login_required
@require_POST
def statement_send(request: HttpRequest, statement_id: int) -> HttpResponse:
    """The point's manager: send the approved statement to the agency's coordinators."""
    statement = selectors.access_statement(viewer=request.user, statement_id=statement_id, to_change=True)
    try:
        services.statement_send(statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statement is being sent to the agency's coordinators."))
    return redirect("ledger:statement", statement_id=statement.pk)


@login_required
@require_GET
def statement_csv_download(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Those who read statements: the statement as CSV."""
    statement = selectors.access_statement(viewer=request.user, statement_id=statement_id)
    response = HttpResponse(statement_csv(statement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{statement_filename(statement)}.csv"'
    return response


@login_required
@require_GET
def statement_xlsx_download(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Those who read statements: the statement as an Excel workbook."""
    statement = selectors.access_statement(viewer=request.user, statement_id=statement_id)
    response = HttpResponse(
        statement_xlsx(statement),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{statement_filename(statement)}.xlsx"'
    return response


# --- compensation agreements ------------------------------------------------------------------------
# Point managers keep their points' agreements, coordinators their agency's, administrators every one
# (selectors.agreement_list); other roles get 403, an agreement outside the scope 404.


@never_cache
@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The agreements the viewer keeps, newest period first for each point and agency."""
    rows = selectors.agreement_list(viewer=request.user)
    return render(request, "ledger/agreement_list.html", {"agreements": rows[:500]})


def _service_errors(form: AgreementForm, error: ValidationError) -> None:
    """Put the service's refusals beside their fields; one about the prices above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, found in error.message_dict.items():
        for message in found:
            form.add_error(name if name in form.fields else None, message)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    """A new agreement between one of the viewer's points and an agency (or their agency and a point)."""
    points, agencies = selectors.agreement_parties(viewer=request.user)
    form = AgreementForm(request.POST or None, points=points, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        point, agency = form.cleaned_data["point"], form.cleaned_data["agency"]
        if not selectors.agreement_pair_allowed(viewer=request.user, point_id=point.pk, agency_id=agency.pk):
            form.add_error("point", _("You cannot make agreements between this point and this agency."))
        else:
            try:
                agreement = services.agreement_create(point=point, agency=agency, **form.terms())
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("The agreement was saved."))
                return redirect("ledger:agreement_edit", agreement_id=agreement.pk)
    return render(
        request,
        "ledger/agreement_form.html",
        {"form": form, "agreement": None},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """New terms for an agreement: in place while no statement has used it; otherwise it ends the day
    before the new terms start, and they make a new agreement."""
    agreement = selectors.access_agreement(viewer=request.user, agreement_id=agreement_id)
    used = services.agreement_used(agreement=agreement)
    form = AgreementForm(
        request.POST or None,
        initial=AgreementForm.initial_of(agreement),
        points=ServicePoint.objects.filter(pk=agreement.point_id),
        agencies=Agency.objects.filter(pk=agreement.agency_id),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.agreement_revise(agreement=agreement, **form.terms())
        except ValidationError as error:
            _service_errors(form, error)
        else:
            if saved.pk == agreement.pk:
                messages.success(request, _("The agreement was saved."))
            else:
                messages.success(
                    request,
                    _("The earlier agreement ended and the new terms were saved as a new agreement."),
                )
            return redirect("ledger:agreement_edit", agreement_id=saved.pk)
    return render(
        request,
        "ledger/agreement_form.html",
        {"form": form, "agreement": agreement, "used": used},
        status=400 if form.errors else 200,
    )
