"""How risk results and facts are written on the physician's screens and in the report.

Only wording and colour live here; every number, category and staleness verdict comes
from the services. Category colours never carry meaning alone: the category's name is
always written beside them.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from clinic_app.core.reports.wording import (
    clinical_unit,
    lower_label,
    plain_flag,
    plain_reason,
    refusal_detail,
)
from clinic_app.i18n import Language, current_language, translate, translate_any
from clinic_app.i18n.formats import format_date
from clinic_app.ui.physician import site_units
from clinic_app.ui.physician.views import InputUsed, ScoreView

__all__ = ["plain_flag"]  # re-exported for the risk panel

#: Category name (as the service returns it) → banner kind in the theme.
CATEGORY_BANNER = {
    "low": "ok",
    "borderline": "info",
    "intermediate": "warn",
    "high": "error",
}
#: Sort rank of a category (higher is worse); unknown categories sort with "borderline".
CATEGORY_RANK = {"low": 0, "borderline": 1, "intermediate": 2, "high": 3}

def cannot_compute() -> str:
    """"cannot compute" in the language of whoever is signed in now (not at import)."""
    return translate("physician.presentation", "cannot compute")


def banner_for(category: str | None) -> str:
    if category is None:
        return "error"
    key = category.lower()
    for name, kind in CATEGORY_BANNER.items():
        if key.startswith(name):
            return kind
    return "info"


def day(moment: datetime | date | None) -> str:
    """A date as the workstation's local calendar day, or an em dash."""
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return format_date(moment.astimezone())
    return moment.isoformat()


def value_text(value: object, unit: str, name: str = "") -> str:
    """An input value with its unit ("142 mmHg", "yes", "white"); a lab value ``name``
    in the site's display units ("5.20 mmol/L" at an SI site)."""
    if isinstance(value, bool):
        return translate_any("yes") if value else translate_any("no")
    if name and isinstance(value, (int, float)):
        converted = site_units.shown_value(name, float(value), unit)
        if converted is not None:
            return f"{converted.text()} {display_unit(converted.unit)}"
    text = translate_any(value) if isinstance(value, str) else str(value)
    if isinstance(value, float):
        # Three significant digits: a lab converted from SI units reads "67.7 mg/dL", not
        # "67.67 mg/dL" (a precision the original measurement never had).
        text = f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    shown_unit = "" if unit in ("", "1", "{boolean}") else f" {display_unit(unit)}"
    return f"{text}{shown_unit}"


def display_unit(unit: str) -> str:
    """UCUM as people write it: mm[Hg] → mmHg, a → years."""
    return clinical_unit(unit)


def points_text(points: float) -> str:
    """Percentage points with their sign, in words a clinician reads aloud."""
    return QCoreApplication.translate("physician.presentation", "{points:+.1f} percentage points").format(
               points=points)


def score_summary(result: ScoreView) -> str:
    """"12.3 % · intermediate", or "cannot compute: missing race" (or the refusal, short)."""
    if result.value is None:
        return cannot_compute_text(result)
    if not result.category:
        return result.value_text
    return f"{result.value_text} · {translate('model_terms', result.category)}"


def record_term(text: str) -> str:
    """A name our terminology gives a record fact (a lab, a drug class, a status) in the
    reader's language; text from the source record is not passed here."""
    return translate("record_terms", text)


def _labels(result: ScoreView) -> dict[str, str]:
    return {i.name: i.label for i in result.inputs} | {m.name: m.label for m in result.missing}


def shown_flags(result: ScoreView) -> list[str]:
    """The result's flags as a reader sees them: labels for input names, their language."""
    labels = _labels(result)
    return [plain_flag(flag, labels) for flag in result.flags]


def shown_reason(result: ScoreView) -> str:
    """Why the result has no value, whole, in the reader's language (a tooltip's text)."""
    return plain_reason(result.reason, _labels(result))


def shown_refusal_detail(result: ScoreView) -> str:
    """Why the result has no value, without "Cannot compute <model>:", for a line that says
    it could not be computed in its own words (the trends tab's gap line)."""
    return refusal_detail(result.reason, _labels(result))


def cannot_compute_text(result: ScoreView) -> str:
    """Why there is no value, short enough for a list cell (the tooltip has the full reason)."""
    if result.missing:
        names = [lower_label(m.label) for m in result.missing]
        return QCoreApplication.translate("physician.presentation", "{CANNOT_COMPUTE}: missing {join}").format(
                   CANNOT_COMPUTE=cannot_compute(), join=', '.join(names))
    labels = _labels(result)
    if current_language() is not Language.ENGLISH:  # the whole reason, translated
        return plain_reason(result.reason, labels)
    reason = plain_flag(result.reason, labels)
    if reason.startswith("Cannot compute ") and ": " in reason:
        reason = reason.split(": ", 1)[1]  # drop "Cannot compute <model name>: "
    short = reason.split(" (")[0].rstrip(".; ")
    return f"{cannot_compute()}: {short}" if short else cannot_compute()


def input_date(item: InputUsed) -> str:
    text = (
        day(item.effective)
        if item.effective is not None
        else QCoreApplication.translate("physician.presentation", "at scoring date")
    )
    return (
        QCoreApplication.translate("physician.presentation", "{text} (stale)").format(text=text) if item.stale else text
    )


def oldest_input(result: ScoreView) -> datetime | None:
    dated = [i.effective for i in result.inputs if i.effective is not None]
    return min(dated) if dated else None


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], *, fit: bool = True) -> None:
    """Put ``rows`` in ``table``; with ``fit``, size it to show every row (no inner scroll)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(r, c, item)
    table.resizeRowsToContents()
    if not fit:
        return
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(len(rows)))
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)
