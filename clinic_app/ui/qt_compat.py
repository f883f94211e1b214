"""Work-arounds for defects in the Qt binding that would crash the app.

PySide6 6.12.0 returns singletons to Python without taking a reference to them:
``None`` from every C++ method that returns ``void`` (each ``widget.update()``,
``painter.drawText(...)``, ``label.setText(...)``) and ``True`` from every
``Signal.emit()``. On CPython 3.12+ these objects are immortal and nothing happens; on
CPython 3.11, which this product runs on, their reference counts fall by one per call
and the interpreter aborts ("Fatal Python error: none_dealloc" / "bool_dealloc") after
some thousands of calls: seconds of scrolling through a CT, or one progress-reporting
import.

:func:`protect_singletons` detects the defect at run time (a few calls on a throw-away
QObject, measuring ``sys.getrefcount``) and, only where it is present on a CPython
without immortal objects, raises the reference counts of ``None``, ``True`` and
``False`` by 2**40, which is what CPython 3.12 does for them (immortal objects). It is
applied when ``clinic_app.ui`` is imported, before any widget exists. Remove it once
the binding is fixed and pinned.
"""

from __future__ import annotations

import ctypes
import sys

#: Calls made by each probe; the defect drops exactly one reference per call.
PROBE_CALLS = 64
IMMORTAL_BOOST = 1 << 40


def binding_leaks_singletons() -> bool:
    """True when void Qt calls drop references to ``None`` or emits drop ``True``."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    none_lost = none_before - sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.ping.emit()
    true_lost = true_before - sys.getrefcount(True)
    return none_lost >= PROBE_CALLS // 2 or true_lost >= PROBE_CALLS // 2


def protect_singletons() -> bool:
    """Make ``None``/``True``/``False`` effectively immortal if the binding leaks them."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal there: the lost references are harmless
    if not binding_leaks_singletons():
        return False
    for singleton in (None, True, False):
        # CPython 3.11 object layout: ob_refcnt is the first field of every object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += IMMORTAL_BOOST
    return True
