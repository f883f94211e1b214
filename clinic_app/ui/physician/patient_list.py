"""The patient list: search by name, MRN or birth date; latest scores; sort and filter.

The table model holds what the services returned (patient summaries and each patient's
latest stored risk results) and writes it; the proxy searches and filters. Sorting by a
score column sorts by the number (a "cannot compute" row sorts below every score), and
by a category filter, so "who is at high risk" is two clicks.

Birth dates are searched in ISO form only (1961, 1961-04, 1961-04-02): 02/04/1961 means
different days in different countries, and a wrong patient is worse than no match.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate, translate_any
from clinic_app.ui.physician.presentation import (
    CATEGORY_RANK,
    day,
    oldest_input,
    score_summary,
    shown_flags,
    shown_reason,
)
from clinic_app.ui.physician.views import ScoreView

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

# Filter keys stay English (compared, stored as item data); category_label shows them.
ANY_CATEGORY = QT_TRANSLATE_NOOP("physician.patient_list", "any category")
CANNOT_COMPUTE_FILTER = QT_TRANSLATE_NOOP("physician.patient_list", "cannot compute")


class PatientSummaryLike(Protocol):
    """The fields of ``services.records.PatientSummary`` the list shows (read-only, so a
    frozen dataclass satisfies it)."""

    @property
    def key(self) -> int: ...

    @property
    def mrn(self) -> str: ...

    @property
    def family(self) -> str: ...

    @property
    def given(self) -> str: ...

    @property
    def birth_date(self) -> str | None: ...

    @property
    def sex(self) -> str: ...

    @property
    def flags(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class ModelColumn:
    model_id: str
    title: str  # short name for the column header
    name: str = ""  # the model's full name (the header's tooltip)


@dataclass(frozen=True)
class PatientRow:
    patient: PatientSummaryLike
    results: Mapping[str, ScoreView]  # model id → latest stored result

    @property
    def name(self) -> str:
        return f"{self.patient.family.upper()}, {self.patient.given}".strip(", ")

    def flags(self) -> list[str]:
        out = []
        missing = [mid for mid, r in self.results.items() if r.value is None]
        if missing:
            out.append(QCoreApplication.translate("PatientRow", "missing inputs ({len} model{value})").format(
                           len=len(missing), value='s' if len(missing) > 1 else ''))
        if any("extrapolat" in f.lower() for r in self.results.values() for f in r.flags):
            out.append("extrapolated")
        if any("conflict" in f.lower() for f in self.patient.flags):
            out.append(QCoreApplication.translate("PatientRow", "record conflict"))
        return out

    def oldest_input(self) -> date | None:
        dates = [d for r in self.results.values() if (d := oldest_input(r)) is not None]
        return min(dates).date() if dates else None


def age_years(birth: str | None, today: date) -> int | None:
    if not birth:
        return None
    born = date.fromisoformat(birth)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


NAME = QT_TRANSLATE_NOOP("physician.patient_list", "Name / MRN")
BORN = QT_TRANSLATE_NOOP("physician.patient_list", "Born / age")
SEX_SHORT = {"female": "F", "male": "M", "other": "other", "unknown": "?"}


class PatientTableModel(QAbstractTableModel):
    FIXED = (NAME, BORN)
    TRAILING = (QT_TRANSLATE_NOOP("physician.patient_list", "Oldest input"),
                QT_TRANSLATE_NOOP("physician.patient_list", "Flags"))

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.rows: list[PatientRow] = []
        self.models: list[ModelColumn] = []

    def set_data(self, patients: Sequence[PatientSummaryLike],
                 results: Mapping[int, Sequence[ScoreView]], models: Sequence[ModelColumn]) -> None:
        self.beginResetModel()
        self.models = list(models)
        self.rows = [PatientRow(p, {r.model_id: r for r in results.get(p.key, ())})
                     for p in patients]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self.models) + len(self.TRAILING)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            title = self.column_title(section)
            shown = translate("physician.patient_list", title)
            return wrapped_title(shown if shown != title else translate_any(title))
        if role == Qt.ItemDataRole.ToolTipRole:
            column = self.model_at(section)
            if column is None:
                return translate("physician.patient_list", self.column_title(section))
            return translate_any(column.name or column.title)
        return None

    def column_title(self, section: int) -> str:
        n_fixed, n_models = len(self.FIXED), len(self.models)
        if section < n_fixed:
            return self.FIXED[section]
        if section < n_fixed + n_models:
            return self.models[section - n_fixed].title
        return self.TRAILING[section - n_fixed - n_models]

    def model_at(self, section: int) -> ModelColumn | None:
        i = section - len(self.FIXED)
        return self.models[i] if 0 <= i < len(self.models) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == KEY_ROLE:
            return row.patient.key
        col = index.column()
        column = self.model_at(col)
        if column is not None:
            return self._score_data(row.results.get(column.model_id), role)
        title = self.column_title(col)
        value: Any
        if title == NAME:  # name over MRN: both identifiers in one narrow column
            if role == SORT_ROLE:
                return row.name.casefold()
            value = f"{row.name}\n{row.patient.mrn}"
        elif title == BORN:  # birth date over age and sex
            if role == SORT_ROLE:
                return row.patient.birth_date or "9999"
            age = age_years(row.patient.birth_date, self.today)
            sex = SEX_SHORT.get(row.patient.sex, row.patient.sex)
            value = f"{row.patient.birth_date or '—'}\n{'?' if age is None else age} {sex}"
        elif title == "Oldest input":
            oldest = row.oldest_input()
            if role == SORT_ROLE:
                return oldest.isoformat() if oldest else "9999"
            value = day(oldest)
        else:
            value = "\n".join(row.flags())
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and title == "Flags":
                return "\n".join([*row.flags(), *row.patient.flags]) or None
            return value
        return None

    @staticmethod
    def _score_data(result: ScoreView | None, role: int) -> Any:
        if role == SORT_ROLE:
            # "cannot compute" and "not scored" sort below every score.
            return float("-inf") if result is None or result.value is None else result.value
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if result is None else compact_score(result)
        if role == Qt.ItemDataRole.ToolTipRole and result is not None:
            if result.value is None:
                if result.reason.startswith("Cannot compute "):  # the reason already says so
                    return shown_reason(result)
                return QCoreApplication.translate("PatientTableModel", "Cannot compute: {reason}").format(
                           reason=shown_reason(result))
            return "\n".join([score_summary(result), *shown_flags(result)])
        return None


def compact_score(result: ScoreView) -> str:
    """A list cell on short lines: "5.3 %" over "borderline", or "cannot" / "compute" over
    why (elided; the tooltip has it all), so a score column stays narrow (``list_columns``)."""
    text = score_summary(result)
    if result.value is None:
        head, _, why = text.partition(": ")
        head = head.replace(" ", "\n", 1)
        return f"{head}\n{why}" if why else head
    return text.replace(" · ", "\n", 1)


#: The widest a header line gets, in characters, before it wraps onto a second line.
HEADER_LINE = 8


def wrapped_title(title: str, width: int = HEADER_LINE) -> str:
    """A header title on at most two lines, broken at the space (or else the hyphen)
    nearest ``width`` characters; a title that short stays on one line."""
    if len(title) <= width:
        return title
    breaks = [i for i, ch in enumerate(title) if ch == " "]
    if breaks:
        cut = min(breaks, key=lambda i: (abs(i - width), i))
        return f"{title[:cut]}\n{title[cut + 1:]}"
    hyphens = [i for i, ch in enumerate(title) if ch == "-" and i < len(title) - 1]
    if not hyphens:
        return title
    cut = min(hyphens, key=lambda i: (abs(i - width), i))
    return f"{title[:cut + 1]}\n{title[cut + 1:]}"


class PatientFilter(QSortFilterProxyModel):
    """Search text, and a category filter on one model's latest result."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._tokens: list[str] = []
        self._model_id: str | None = None
        self._category: str = ANY_CATEGORY

    def source(self) -> PatientTableModel:
        model = self.sourceModel()
        assert isinstance(model, PatientTableModel)
        return model

    def set_search(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_tokens",
                                       [t.casefold() for t in text.replace(",", " ").split()]))

    def set_category(self, model_id: str | None, category: str) -> None:
        """Keep rows whose result for ``model_id`` (any model if None) has ``category``."""
        def change() -> None:
            self._model_id = model_id
            self._category = category

        self._refilter(change)

    def _refilter(self, change: Callable[[], None]) -> None:
        """Apply ``change`` to the filter state (Qt ≥ 6.10 brackets it; older Qt invalidates)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row = self.source().rows[source_row]
        return self._matches_search(row) and self._matches_category(row)

    def _matches_search(self, row: PatientRow) -> bool:
        p = row.patient
        fields = (p.family.casefold(), p.given.casefold(), p.mrn.casefold(), p.birth_date or "")
        return all(any(token in f for f in fields) for token in self._tokens)

    def _matches_category(self, row: PatientRow) -> bool:
        if self._category == ANY_CATEGORY:
            return True
        model_id = self._model_id
        results = (list(row.results.values()) if model_id is None
                   else [row.results[model_id]] if model_id in row.results else [])
        if self._category == CANNOT_COMPUTE_FILTER:
            return any(r.value is None for r in results)
        return any(r.category is not None and r.category.lower() == self._category.lower()
                   for r in results)


def category_choices() -> list[str]:
    """Filter choices, worst first, then "cannot compute"."""
    names = sorted(CATEGORY_RANK, key=lambda c: -CATEGORY_RANK[c])
    return [ANY_CATEGORY, *names, CANNOT_COMPUTE_FILTER]


def category_label(choice: str) -> str:
    """A filter choice in the current language, translated when the combo box is built."""
    if choice in (ANY_CATEGORY, CANNOT_COMPUTE_FILTER):
        return translate("physician.patient_list", choice)
    return translate("model_terms", choice)


__all__ = ["ModelColumn", "PatientFilter", "PatientRow", "PatientTableModel"]
