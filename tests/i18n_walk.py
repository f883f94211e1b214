"""Find English left on a screen built in Chinese: every widget's visible text, walked.

Used by tests/ui/test_i18n_screens.py (which fails on a leftover) and by
``scripts/screenshots.py --lang zh_CN --leftovers FILE`` (which lists them for a person).
A text is a leftover when it holds an English word: a run of three or more letters with
a lower-case letter in it that is not a unit, a drug or model name, or a word the
caller allows (a name from the record). Upper-case runs (ASCVD, HDL, DICOM) are
abbreviations Chinese clinical text writes the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

#: Words that read the same in Chinese clinical text: units, scores' and tools' names,
#: format names. Compared case-sensitively after splitting on non-letters.
ALLOWED = frozenset("""
mmHg mmol mg dL kg cm mm umol µmol mol min bpm kPa mL ml Hz cd px mAs kVp HU KiB MiB GiB
China PAR China-PAR PREVENT MELD Na CHA DS VASc VA Framingham Pima Estimator Plus Goff
eGFR OGTT AHA ACC ESC OPTN UNOS LOINC SNOMED ICD FHIR HL DICOM DICOMweb PACS CSV JSON PDF
clinic app clinic-app Orthanc Noto Sans CJK Qt PySide ONNX onnxruntime SQLCipher AES GCM
sRGB WW WL Ctrl Shift Alt Esc Tab Enter PgUp PgDn Home End Del Space
Demo demo DEMO Core
""".split())  # noqa: SIM905

_WORD = re.compile(r"[A-Za-zµ]+")
#: A path or file name inside a sentence ("/etc/clinic-app/config.toml"): data, not words.
_PATH = re.compile(r"\S*[/\\]\S*|\S+\.(?:toml|json|csv|dcm|log|pdf|db)\b")
#: Text that is data, not interface: identifiers, paths, numbers with units, UIDs.
_DATA = re.compile(r"^[\s\d.,:;/\\\-+%()\[\]<>=≥≤×·#_|'\"~*—–…]*$|^[\w.\-]+@[\w.\-]+$|"
                   r"^(/|[A-Z]:\\|~/)|^[0-9.]{8,}$|^[0-9a-f]{12,}$|"
                   r"^[a-z0-9]+(?:[-.][a-z0-9]+)+$")  # an identifier: a model id, a task name


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words of ``text`` that a Chinese reader would not expect."""
    extra = set(allowed)
    found = []
    for word in _WORD.findall(text):
        if len(word) < 3 or word.isupper() or word in ALLOWED or word in extra:
            continue
        found.append(word)
    return found


def _model_texts(view: QAbstractItemView, limit: int = 60) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    for section in range(_columns(model, None)):
        title = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(title, str):
            yield title
    yield from _index_texts(model, None, limit)


def _columns(model, parent) -> int:
    """Column count; list models hide the one-argument form, tables the no-argument one."""
    from PySide6.QtCore import QModelIndex

    for call in (lambda: model.columnCount(parent or QModelIndex()), model.columnCount):
        try:
            return int(call())
        except TypeError:
            continue
    return 1


def _has_children(model, index) -> bool:
    try:
        return bool(model.hasChildren(index))
    except TypeError:  # a list or table model: flat
        return False


def _index_texts(model, parent, limit: int) -> Iterator[str]:
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    try:
        rows = model.rowCount(parent)
    except TypeError:
        rows = model.rowCount()
    for row in range(min(rows, limit)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value
            if column == 0 and _has_children(model, index):
                yield from _index_texts(model, index, limit)


def widget_texts(top: QWidget) -> Iterator[tuple[QWidget, str]]:
    """(widget, text) for every text a user can read on ``top`` as it is shown."""
    for widget in [top, *top.findChildren(QWidget)]:
        if widget is not top and not widget.isVisibleTo(top):
            continue
        texts: list[str] = []
        if widget.toolTip():
            texts.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.placeholderText()] + ([widget.text()] if widget.isReadOnly() else [])
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
            texts += [widget.tabToolTip(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView):
            texts += list(_model_texts(widget))
        if widget.isWindow() and widget.windowTitle():
            texts.append(widget.windowTitle())
        for action in widget.actions():
            texts += [action.text(), action.toolTip()]
        if isinstance(widget, QTabWidget):
            continue  # its QTabBar child carries the titles
        for text in texts:
            if text and text.strip():
                yield widget, text


def leftovers(top: QWidget, allowed: Iterable[str] = ()) -> list[str]:
    """Each distinct text on ``top`` that still holds English (sorted, with its widget class)."""
    allowed = set(allowed)
    seen: set[str] = set()
    for widget, text in widget_texts(top):
        plain = re.sub(r"<[^>]+>|&\w+;", " ", text)
        words = english_words(_PATH.sub(" ", plain), allowed)
        if _DATA.match(plain.strip()) or not words:
            continue
        seen.add(f"{type(widget).__name__}: {' '.join(plain.split())[:160]} [{' '.join(words[:8])}]")
    return sorted(seen)
