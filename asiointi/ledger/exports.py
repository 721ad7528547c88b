"""A statement as a download: CSV and XLSX (openpyxl), with the same figures as its page. Cells that
a spreadsheet would take for a formula (starting with =, +, - or @) are prefixed with ' in text
columns (docs/security.md); amounts are numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Statement
from .selectors import line_description, statement_lines

FORMULA_STARTS = ("=", "+", "-", "@")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def statement_filename(statement: Statement) -> str:
    return f"statement-{statement.point.slug}-{statement.agency.code}-{statement.month:%Y-%m}"


def statement_table(statement: Statement) -> tuple[list[str], list[list[object]], list[object]]:
    """The header, the lines (description, quantity, unit price, amount) and the total row."""
    header = [_("Line"), _("Quantity"), _("Unit price (EUR)"), _("Amount (EUR)")]
    rows: list[list[object]] = []
    for line in statement_lines(statement=statement):
        quantity: object = line.days if line.kind == "base" else line.quantity
        unit = line.unit_price.normalize() if line.kind != "base" else ""
        rows.append([line_description(line), quantity, unit, line.amount])
    total = [_("Total"), "", "", statement.total]
    return header, rows, total


def _title(statement: Statement) -> list[str]:
    return [
        _("Monthly statement of %(point)s to %(agency)s for %(month)s.")
        % {
            "point": statement.point.name,
            "agency": statement.agency.name,
            "month": f"{statement.month:%m/%Y}",
        },
        statement.get_status_display(),
    ]


def statement_csv(statement: Statement) -> str:
    header, rows, total = statement_table(statement)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_text(cell) for cell in _title(statement)])
    writer.writerow(header)
    for row in [*rows, total]:
        writer.writerow(
            [_text(c) if isinstance(c, str) else formats.sanitize_separators(str(c)) for c in row]
        )
    return out.getvalue()


def statement_xlsx(statement: Statement) -> bytes:
    header, rows, total = statement_table(statement)
    book = Workbook()
    sheet = book.active or book.create_sheet()
    sheet.title = f"{statement.month:%Y-%m}"
    sheet.append([_text(cell) for cell in _title(statement)])
    sheet.append(header)
    for row in [*rows, total]:
        sheet.append([_text(c) if isinstance(c, str) else c for c in row])
    for cells in sheet.iter_rows(min_row=3, min_col=3, max_col=4):
        for cell in cells:
            if isinstance(cell.value, (Decimal, int, float)):
                cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
