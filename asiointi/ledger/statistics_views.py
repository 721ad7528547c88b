"""The statistics pages: the staff's page in their scope, the public national page, and each
figure's CSV file.

Every figure is computed on the server (:mod:`asiointi.ledger.statistics`) and shown as a table; a
static script (``ledger/statistics.js``) draws the chart from the table's own numbers (their
``data-value`` attributes), so no data travels in inline scripts and the page works without JavaScript.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import statistics
from .forms import PeriodForm
from .statistics import Figure, Number, Period

#: How long the public page's figures are kept in the cache (they change once a day at most).
PUBLIC_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Cell:
    value: str  # the number for the chart and the CSV file ("" when hidden or missing)
    text: str  # as the page shows it


def _cell(value: Number, decimals: int) -> Cell:
    if value is None:
        return Cell("", "–")
    raw = f"{value:.{decimals}f}" if decimals else f"{round(value)}"
    return Cell(raw, number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True))


@dataclass(frozen=True)
class Table:
    figure: Figure
    rows: list[tuple[str, list[Cell]]]

    @property
    def chart_columns(self) -> str:
        return ",".join(str(c) for c in self.figure.chart_columns)


def _tables(figures: tuple[Figure, ...]) -> list[Table]:
    return [
        Table(
            figure,
            [
                (label, [_cell(v, figure.decimals_of(k)) for k, v in enumerate(values)])
                for label, values in figure.rows
            ],
        )
        for figure in figures
    ]


def _csv(figure: Figure, period: Period) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{figure.key}-{period.first:%Y-%m}-{period.months}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([str(figure.row_header), *(str(c) for c in figure.columns)])
    for label, values in figure.rows:
        writer.writerow([label, *(_cell(v, figure.decimals_of(k)).value for k, v in enumerate(values))])
    return response


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    return form, form.period()


@never_cache
@login_required
@require_GET
def statistics_index(request: HttpRequest) -> HttpResponse:
    """Point managers (their points), agency coordinators (their agencies), network planners and
    administrators (everything): every figure of the chosen months. Everyone else signed in: 403."""
    form, period = _period(request)
    dashboard = statistics.statistics_dashboard(viewer=request.user, period=period)
    return render(
        request,
        "ledger/statistics_staff.html",
        {
            "form": form,
            "dashboard": dashboard,
            "tables": _tables(dashboard.figures),
            "query": request.GET.urlencode(),
            "csv_url": "statistics:csv",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@never_cache
@login_required
@require_GET
def statistics_csv(request: HttpRequest, figure: str) -> HttpResponse:
    """As :func:`statistics_index`: one figure as a CSV file."""
    _form, period = _period(request)
    try:
        found = statistics.statistics_figure(viewer=request.user, period=period, key=figure)
    except KeyError:
        raise Http404 from None
    return _csv(found, period)


def _public_figures(period: Period) -> tuple[Figure, ...]:
    """The national figures, rendered to plain strings in the current language and kept in the
    cache for an hour: the same for every visitor."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"ledger:statistics:national:{language}:{period.first:%Y-%m}:{period.months}"
    figures: tuple[Figure, ...] | None = cache.get(key)
    if figures is None:
        dashboard = statistics.statistics_national_dashboard(period=period)
        figures = tuple(_plain(f) for f in dashboard.figures)
        cache.set(key, figures, PUBLIC_CACHE_SECONDS)
    return figures


def _plain(figure: Figure) -> Figure:
    from dataclasses import replace

    return replace(
        figure,
        title=str(figure.title),
        description=str(figure.description),
        row_header=str(figure.row_header),
        columns=tuple(str(c) for c in figure.columns),
        note=str(figure.note),
    )


def _public_period() -> Period:
    return Period.last_full_months(statistics.DEFAULT_MONTHS, timezone.localdate())


@require_GET
def statistics_public(request: HttpRequest) -> HttpResponse:
    """Public: anyone. National, anonymous figures of the last twelve full months."""
    period = _public_period()
    figures = _public_figures(period)
    return render(
        request,
        "ledger/statistics_public.html",
        {
            "period": period,
            "tables": _tables(figures),
            "minimum": settings.STATISTICS_PUBLIC_MIN_COUNT,
            "csv_url": "statistics:public_csv",
            "query": "",
        },
    )


@require_GET
def statistics_public_csv(request: HttpRequest, figure: str) -> HttpResponse:
    """Public: one national figure as a CSV file."""
    period = _public_period()
    found = {f.key: f for f in _public_figures(period)}.get(figure)
    if found is None:
        raise Http404
    return _csv(found, period)
