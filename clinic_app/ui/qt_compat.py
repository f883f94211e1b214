"""Work-arounds for defects in the Qt binding that would crash the app.

PySide6 6.12.0 returns ``None`` from every C++ method that returns ``void`` without
taking a reference to it (each ``widget.update()``, ``painter.drawText(...)``,
``label.setText(...)`` drops one reference to ``None``). On CPython 3.12+ ``None`` is
immortal and nothing happens; on CPython 3.11, which this product runs on, ``None``'s
reference count falls by one per call and the interpreter aborts with "Fatal Python
error: none_dealloc" after some tens of thousands of calls: a few hundred repaints of
the viewer, i.e. seconds of scrolling through a CT.

:func:`protect_none` detects the defect at run time (a few void calls on a throw-away
QObject, measuring ``sys.getrefcount(None)``) and, only where it is present on a CPython
without immortal objects, raises ``None``'s reference count by 2**40, which is what
CPython 3.12 does for it (an immortal object). It is applied when ``clinic_app.ui`` is
imported, before any widget exists. Remove it once the binding is fixed (and pinned).
"""

from __future__ import annotations

import ctypes
import sys

#: Void calls made by the probe; the defect drops exactly one reference per call.
PROBE_CALLS = 64
IMMORTAL_BOOST = 1 << 40


def void_calls_leak_none() -> bool:
    """True when calling a void Qt method drops a reference to ``None``."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= PROBE_CALLS // 2


def protect_none() -> bool:
    """Make ``None`` effectively immortal if the binding leaks it; True if it did."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # None is immortal there: the lost references are harmless
    if not void_calls_leak_none():
        return False
    # CPython 3.11 object layout: ob_refcnt is the first field of every object.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += IMMORTAL_BOOST
    return True
