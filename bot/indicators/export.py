"""Every indicator by scope for a period, with the definitions: CSV, XLSX, JSON and a text table.

- **CSV** (UTF-8 with a byte-order mark, so Excel reads the accents; comma separated, CRLF):
  the indicator table, one blank line, then the definitions table with its own header row.
  Excel opens it as one sheet; a program reads the first table up to the blank line.
- **XLSX**: sheet "Indicators" (header frozen, filters on, shares formatted as percentages) and
  sheet "Definitions".
- **JSON**: ``{"period", "start", "end_exclusive", "time_zone", "rows", "definitions"}``, rows
  under the CSV column names with ``details`` as an object.

Values are the raw figures: shares as fractions 0–1 in CSV and JSON (formatted as % in XLSX),
hours as hours, ratings as averages on 1–5; an undefined value is an empty cell (null).
Text cells that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``…) are
neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import _
from bot.indicators.definitions import DEFINITIONS, DetailValue, IndicatorValue, Scope
from bot.indicators.format import STRATEGY_LABELS, describe, details_text, format_value
from bot.indicators.history import values_for
from bot.indicators.targets import targets_for
from bot.periods import Period
from bot.text import align, columns
from storage.models import Community, Person, Unit

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_MIMETYPE = "application/json"
COLUMNS = (
    "period", "period_start", "period_end_exclusive", "time_zone", "scope_kind", "scope",
    "indicator", "label", "strategy", "unit", "value", "details", "target", "baseline", "owner",
)  # fmt: skip
DEFINITION_COLUMNS = ("indicator", "label", "strategy", "unit", "better", "definition")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_FORMATS = {"share": "0.0%", "rating": "0.00", "score": "0.00", "hours": "0.0", "count": "0"}


@dataclass(frozen=True, slots=True)
class ExportRow:
    period: str
    period_start: date
    period_end: date  # exclusive
    time_zone: str
    scope_kind: str
    scope: str
    indicator: str
    label: str
    strategy: str
    unit: str
    value: float | None
    details: dict[str, DetailValue]
    target: float | None
    baseline: float | None
    owner: str | None


def all_scopes(session: Session) -> list[Scope]:
    """The organisation, then every community, unit and region, each by name."""
    scopes = [Scope.org()]
    scopes += [
        Scope.community(c.id, c.name)
        for c in session.scalars(select(Community).order_by(Community.name))
    ]
    scopes += [Scope.unit(u.id, u.name) for u in session.scalars(select(Unit).order_by(Unit.name))]
    regions = session.scalars(
        select(Unit.region).where(Unit.region.is_not(None)).distinct().order_by(Unit.region)
    )
    scopes += [Scope.region(name) for name in regions if name]
    return scopes


def collect(
    session: Session,
    *,
    period: Period,
    scopes: Iterable[Scope],
    tz: ZoneInfo,
    active_threshold: int,
    today: date,
) -> list[ExportRow]:
    """Every indicator for each scope (final snapshots for a period that is over)."""
    rows: list[ExportRow] = []
    owners: dict[int, str] = {}
    for scope in scopes:
        targets = targets_for(session, scope=scope, periods=[period.label])
        values = values_for(
            session,
            period=period,
            scope=scope,
            tz=tz,
            active_threshold=active_threshold,
            today=today,
        )
        for v in values:
            d = DEFINITIONS[v.key]
            target = targets.get((v.key, period.label))
            owner = None
            if target is not None and target.owner_id is not None:
                if target.owner_id not in owners:
                    person = session.get(Person, target.owner_id)
                    owners[target.owner_id] = person.label if person else ""
                owner = owners[target.owner_id] or None
            rows.append(
                ExportRow(
                    period=period.label,
                    period_start=period.start,
                    period_end=period.end,
                    time_zone=tz.key,
                    scope_kind=scope.kind,
                    scope=scope.label or scope.kind,
                    indicator=v.key,
                    label=d.label,
                    strategy=STRATEGY_LABELS[d.strategy],
                    unit=d.unit,
                    value=v.value,
                    details=dict(v.details),
                    target=target.target if target else None,
                    baseline=target.baseline if target else None,
                    owner=owner,
                )
            )
    return rows


def _definition_rows() -> list[tuple[str, ...]]:
    return [
        (
            d.key,
            d.label,
            STRATEGY_LABELS[d.strategy],
            d.unit,
            "lower" if d.lower_is_better else "higher",
            d.text,
        )
        for d in DEFINITIONS.values()
    ]


def _safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cells(row: ExportRow) -> list[Any]:
    """The row as CSV cells: numbers as numbers, text made safe, nothing as empty."""

    def number(value: float | None) -> float | int | str:
        if value is None:
            return ""
        return int(value) if float(value).is_integer() else round(value, 6)

    return [
        row.period,
        row.period_start.isoformat(),
        row.period_end.isoformat(),
        row.time_zone,
        row.scope_kind,
        _safe(row.scope),
        row.indicator,
        row.label,
        row.strategy,
        row.unit,
        number(row.value),
        _safe(details_text(IndicatorValue(row.indicator, row.value, row.details))),
        number(row.target),
        number(row.baseline),
        _safe(row.owner or ""),
    ]


def to_csv(rows: Sequence[ExportRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_cells(row) for row in rows)
    writer.writerow([])
    writer.writerow(DEFINITION_COLUMNS)
    writer.writerows(_definition_rows())
    return out.getvalue().encode("utf-8-sig")


def _json_row(row: ExportRow) -> dict[str, Any]:
    """The row under the CSV's column names, with the details as an object."""
    data = asdict(row)
    data["period_start"] = row.period_start.isoformat()
    data.pop("period_end")
    data["period_end_exclusive"] = row.period_end.isoformat()
    return {name: data[name] for name in COLUMNS}


def to_json(rows: Sequence[ExportRow], *, period: Period, tz: ZoneInfo) -> bytes:
    data = {
        "period": period.label,
        "start": period.start.isoformat(),
        "end_exclusive": period.end.isoformat(),
        "time_zone": tz.key,
        "rows": [_json_row(row) for row in rows],
        "definitions": [dict(zip(DEFINITION_COLUMNS, d, strict=True)) for d in _definition_rows()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def to_xlsx(rows: Sequence[ExportRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")
    sheet.append(COLUMNS)
    for row in rows:
        cells = _cells(row)
        cells[1], cells[2] = row.period_start, row.period_end
        for i in (10, 12, 13):
            cells[i] = None if cells[i] == "" else cells[i]
        sheet.append(cells)
        line = sheet.max_row
        fmt = _NUMBER_FORMATS[row.unit]
        for column in ("K", "M", "N"):
            sheet[f"{column}{line}"].number_format = fmt
        for column in ("B", "C"):
            sheet[f"{column}{line}"].number_format = "yyyy-mm-dd"
    _finish(sheet, widths=(9, 12, 12, 16, 11, 24, 26, 34, 14, 7, 10, 40, 10, 10, 18))

    definitions = book.create_sheet(_("Definitions"))
    definitions.append(DEFINITION_COLUMNS)
    for d in _definition_rows():
        definitions.append(list(d))
    _finish(definitions, widths=(26, 34, 14, 8, 8, 100))
    for sheet_ in (sheet, definitions):
        for line in sheet_.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, never a formula
        for cell in sheet_[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MAX_WIDTH = 100  # a spreadsheet column's width, in characters


def _finish(sheet: Any, *, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, width in enumerate(widths, start=1):
        shown = (columns(str(cell.value)) for (cell,) in sheet.iter_rows(min_col=i, max_col=i))
        wanted = max((w + 2 for w in shown), default=width)  # Chinese takes two columns
        sheet.column_dimensions[get_column_letter(i)].width = max(width, min(wanted, MAX_WIDTH))


def to_table(rows: Sequence[ExportRow]) -> str:
    """Aligned plain text: scope, indicator, value, target."""
    header = (_("Scope"), _("Indicator"), _("Value"), _("Target"))
    body = [
        (
            f"{row.scope_kind}: {row.scope}" if row.scope_kind != "org" else row.scope,
            row.label,
            describe(IndicatorValue(row.indicator, row.value, row.details)),
            format_value(row.indicator, row.target) if row.target is not None else "–",
        )
        for row in rows
    ]
    return "\n".join(align([header, *body])) + "\n"
