"""The AST rule behind tests/test_i18n.py: literal text handed to a Qt text setter.

Kept apart from the test so the rule can be read (and extended) on its own: a call whose
name is in ``SINKS`` must receive its text through ``tr``/``translate`` (or a variable
that did), never as a bare string literal or f-string.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

#: Method or class name -> positions of the arguments that are text a user reads.
SINKS: dict[str, tuple[int, ...]] = {
    "setText": (0,), "setWindowTitle": (0,), "setToolTip": (0,), "setPlaceholderText": (0,),
    "setStatusTip": (0,), "setTitle": (0,), "setLabelText": (0,), "addAction": (0, 1),
    "addTab": (1,), "insertTab": (2,), "setTabText": (1,), "showMessage": (0,),
    "setWhatsThis": (0,), "setSuffix": (0,), "setPrefix": (0,), "setSpecialValueText": (0,),
    "setHorizontalHeaderLabels": (0,), "setHeaderLabels": (0,), "addRow": (0,), "addMenu": (0,),
    "setAccessibleName": (0,), "setButtonText": (1,), "setInformativeText": (0,),
    "setSubTitle": (0,), "QLabel": (0,), "QPushButton": (0, 1), "QCheckBox": (0,),
    "QRadioButton": (0,), "QGroupBox": (0,), "QAction": (0, 1), "QMenu": (0,),
    "QMessageBox": (1, 2), "warning": (1, 2), "information": (1, 2), "critical": (1, 2),
    "question": (1, 2), "confirm": (1, 2, 3), "inform": (1, 2),
}
_WRAPPERS = {"tr", "translate", "translate_any", "QT_TRANSLATE_NOOP"}
#: Literal text that is the same in every language (symbols, product and format names).
_NEUTRAL = re.compile(r"^[\W\d_]*$|^(PACS|DICOM|DICOMweb|GPU|CPU|CSV|JSON|PDF|MRN|AE|UID|clinic-app)$")


def _is_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return not _NEUTRAL.match(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and re.search(r"[A-Za-z]{2}", v.value)
                   for v in node.values)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_text(e) for e in node.elts)
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def untranslated(path: Path) -> Iterator[tuple[int, str]]:
    """(line, call) for each literal text passed to a sink in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in SINKS or name in _WRAPPERS:
            continue
        for i in SINKS[name]:
            if i < len(node.args) and _is_text(node.args[i]):
                yield node.lineno, f"{name}({ast.unparse(node.args[i])[:60]})"


def variable_contexts(path: Path) -> Iterator[tuple[int, str]]:
    """(line, call) for each translate()/QT_TRANSLATE_NOOP whose context is not a string
    literal: lupdate cannot read a variable, so the text would never reach the catalogue."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) == 2:
            context = node.args[0]
            if not (isinstance(context, ast.Constant) and isinstance(context.value, str)):
                yield node.lineno, ast.unparse(node)[:80]
