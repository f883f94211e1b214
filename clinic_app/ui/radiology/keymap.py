"""The reading room's key bindings, kept as data: one table drives the keys and the Help list.

Help used to be a hand-written list beside a hand-written ``if key == …`` chain, and the
two drifted apart. Now every keyboard action is a row of :data:`DEFAULT_BINDINGS`; the
viewport and the findings panel look the pressed key up in a :class:`KeyMap` built from
it, and :meth:`KeyMap.help_rows` writes Help from the same rows. Pointer gestures (wheel,
drags) are rows too, so Help shows them, but have no keys to look up.

A user may rebind keys with a JSON object ``{"action": ["Key", …]}`` (see
:func:`keymap_with_overrides`); it is checked against the table so an unknown action, an
unreadable key or a key bound twice is refused with a message, never half applied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate


class Action(StrEnum):
    SLICE_PREVIOUS = "slice-previous"
    SLICE_NEXT = "slice-next"
    SLICE_BACK_10 = "slice-back-10"
    SLICE_FORWARD_10 = "slice-forward-10"
    SLICE_FIRST = "slice-first"
    SLICE_LAST = "slice-last"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    PRESET = "preset"
    DEFAULT_WINDOW = "default-window"
    INVERT = "invert"
    FIT = "fit"
    RESET = "reset"
    MAGNIFICATION = "magnification"
    TOOL_LENGTH = "tool-length"
    TOOL_ROI = "tool-roi"
    TOOL_ANGLE = "tool-angle"
    TOOL_ARROW = "tool-arrow"
    TOOL_PAN = "tool-pan"
    TOOL_CURSOR = "tool-cursor"
    REMOVE_MEASUREMENT = "remove-measurement"
    CANCEL = "cancel"
    CINE = "cine"
    PLANE_AXIAL = "plane-axial"
    PLANE_CORONAL = "plane-coronal"
    PLANE_SAGITTAL = "plane-sagittal"
    FINDING_NEXT = "finding-next"
    FINDING_PREVIOUS = "finding-previous"
    FINDING_ACCEPT = "finding-accept"
    FINDING_REJECT = "finding-reject"
    FINDING_MODIFY = "finding-modify"
    FINDING_COMMENT = "finding-comment"
    # Pointer gestures: listed in Help, never looked up by key.
    WHEEL_SLICE = "wheel-slice"
    WHEEL_ZOOM = "wheel-zoom"
    DRAG_WINDOW = "drag-window"
    DRAG_PAN = "drag-pan"


#: Actions the findings panel handles (the viewport passes these keys on to it).
REVIEW_ACTIONS = frozenset({Action.FINDING_NEXT, Action.FINDING_PREVIOUS, Action.FINDING_ACCEPT,
                            Action.FINDING_REJECT, Action.FINDING_MODIFY, Action.FINDING_COMMENT})


@dataclass(frozen=True)
class Binding:
    """One row of the table: an action, its keys (portable key text) and what Help says."""

    action: Action
    keys: tuple[str, ...]
    help: str
    #: How Help shows a pointer gesture (a binding with no keys), or a range of keys.
    label: str = ""

    # help and label hold English (the table is built at import); these translate them when
    # shown, in the language of the account signed in now.
    @property
    def key_label(self) -> str:
        return translate("radiology.keymap", self.label) if self.label else " / ".join(self.keys)

    @property
    def shown_help(self) -> str:
        return translate("radiology.keymap", self.help)


_DIGITS = tuple(str(n) for n in range(1, 10))

DEFAULT_BINDINGS: tuple[Binding, ...] = (
    Binding(
        Action.WHEEL_SLICE,
        (),
        QT_TRANSLATE_NOOP("radiology.keymap", "Previous / next slice"),
        QT_TRANSLATE_NOOP("radiology.keymap", "Wheel"),
    ),
    Binding(Action.SLICE_PREVIOUS, ("Up", "Left"), QT_TRANSLATE_NOOP("radiology.keymap", "Previous slice")),
    Binding(Action.SLICE_NEXT, ("Down", "Right"), QT_TRANSLATE_NOOP("radiology.keymap", "Next slice")),
    Binding(Action.SLICE_BACK_10, ("PgUp",), QT_TRANSLATE_NOOP("radiology.keymap", "10 slices back")),
    Binding(Action.SLICE_FORWARD_10, ("PgDown",), QT_TRANSLATE_NOOP("radiology.keymap", "10 slices forward")),
    Binding(Action.SLICE_FIRST, ("Home",), QT_TRANSLATE_NOOP("radiology.keymap", "First slice")),
    Binding(Action.SLICE_LAST, ("End",), QT_TRANSLATE_NOOP("radiology.keymap", "Last slice")),
    Binding(Action.WHEEL_ZOOM, (), QT_TRANSLATE_NOOP("radiology.keymap", "Zoom in / out at the pointer"), "Ctrl+Wheel"),
    Binding(Action.ZOOM_IN, ("+", "="), QT_TRANSLATE_NOOP("radiology.keymap", "Zoom in")),
    Binding(Action.ZOOM_OUT, ("-",), QT_TRANSLATE_NOOP("radiology.keymap", "Zoom out")),
    Binding(
        Action.DRAG_WINDOW,
        (),
        QT_TRANSLATE_NOOP("radiology.keymap", "Window/level: left-right = width, up-down = level"),
        QT_TRANSLATE_NOOP("radiology.keymap", "Right-drag"),
    ),
    Binding(
        Action.DRAG_PAN,
        (),
        QT_TRANSLATE_NOOP("radiology.keymap", "Pan"),
        QT_TRANSLATE_NOOP("radiology.keymap", "Middle-drag"),
    ),
    Binding(
        Action.PRESET,
        _DIGITS,
        QT_TRANSLATE_NOOP("radiology.keymap", "Window presets for the modality (CT: brain, subdural, stroke, lung, …)"),
        "1 … 9",
    ),
    Binding(
        Action.DEFAULT_WINDOW,
        ("0",),
        QT_TRANSLATE_NOOP("radiology.keymap", "The DICOM default window of the series"),
    ),
    Binding(Action.INVERT, ("I",), QT_TRANSLATE_NOOP("radiology.keymap", "Invert grey scale")),
    Binding(Action.FIT, ("F",), QT_TRANSLATE_NOOP("radiology.keymap", "Fit to viewport")),
    Binding(Action.RESET, ("R",), QT_TRANSLATE_NOOP("radiology.keymap", "Reset zoom, pan and window")),
    Binding(
        Action.MAGNIFICATION,
        ("Z",),
        QT_TRANSLATE_NOOP("radiology.keymap", "Magnify smoothly / show pixels as squares"),
    ),
    Binding(Action.TOOL_LENGTH, ("L",), QT_TRANSLATE_NOOP("radiology.keymap", "Tool: length")),
    Binding(Action.TOOL_ROI, ("O",), QT_TRANSLATE_NOOP("radiology.keymap", "Tool: ROI (ellipse)")),
    Binding(
        Action.TOOL_ANGLE,
        ("G",),
        QT_TRANSLATE_NOOP("radiology.keymap", "Tool: angle (drag the first arm, click the end of the second)"),
    ),
    Binding(Action.TOOL_ARROW, ("W",), QT_TRANSLATE_NOOP("radiology.keymap", "Tool: arrow")),
    Binding(Action.TOOL_PAN, ("P",), QT_TRANSLATE_NOOP("radiology.keymap", "Tool: pan")),
    Binding(Action.TOOL_CURSOR, ("C",), QT_TRANSLATE_NOOP("radiology.keymap", "Tool: MPR cursor (or Shift+click)")),
    Binding(
        Action.REMOVE_MEASUREMENT,
        ("Del", "Backspace"),
        QT_TRANSLATE_NOOP("radiology.keymap", "Remove the last measurement on this slice"),
    ),
    Binding(Action.CANCEL, ("Esc",), QT_TRANSLATE_NOOP("radiology.keymap", "Cancel the measurement being drawn")),
    Binding(Action.CINE, ("Space",), QT_TRANSLATE_NOOP("radiology.keymap", "Start / stop cine")),
    Binding(Action.PLANE_AXIAL, ("A",), QT_TRANSLATE_NOOP("radiology.keymap", "Show the axial plane in this viewport")),
    Binding(
        Action.PLANE_CORONAL,
        ("S",),
        QT_TRANSLATE_NOOP("radiology.keymap", "Show the coronal plane in this viewport"),
    ),
    Binding(
        Action.PLANE_SAGITTAL,
        ("D",),
        QT_TRANSLATE_NOOP("radiology.keymap", "Show the sagittal plane in this viewport"),
    ),
    Binding(Action.FINDING_NEXT, ("N",), QT_TRANSLATE_NOOP("radiology.keymap", "AI review: next finding")),
    Binding(
        Action.FINDING_PREVIOUS,
        ("Shift+N",),
        QT_TRANSLATE_NOOP("radiology.keymap", "AI review: previous finding"),
    ),
    Binding(
        Action.FINDING_ACCEPT,
        ("Y",),
        QT_TRANSLATE_NOOP("radiology.keymap", "AI review: accept the selected finding"),
    ),
    Binding(
        Action.FINDING_REJECT,
        ("X",),
        QT_TRANSLATE_NOOP("radiology.keymap", "AI review: reject the selected finding"),
    ),
    Binding(
        Action.FINDING_MODIFY,
        ("M",),
        QT_TRANSLATE_NOOP("radiology.keymap", "AI review: modify the selected finding"),
    ),
    Binding(
        Action.FINDING_COMMENT,
        ("K",),
        QT_TRANSLATE_NOOP("radiology.keymap", "AI review: write a comment for the decision"),
    ),
)


def normalise_key(text: str) -> str:
    """The portable text of one key combination, or "" when Qt cannot read it."""
    seq = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
    if seq.count() != 1:
        return ""
    return seq.toString(QKeySequence.SequenceFormat.PortableText)


def event_key(event: QKeyEvent) -> str:
    """The key text of a key press, in the table's notation.

    Shift counts for letters (N and Shift+N differ) but not for symbols, whose shifted
    form depends on the keyboard layout ("+" is Shift+= on one, a key of its own on another).
    Keypad keys read as their main-keyboard twins."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if not Qt.Key.Key_A.value <= key <= Qt.Key.Key_Z.value:
        mods &= ~Qt.KeyboardModifier.ShiftModifier
    return QKeySequence(mods.value | key).toString(QKeySequence.SequenceFormat.PortableText)


class KeyMap:
    """Key text → action, built from a table of bindings (each key bound once)."""

    def __init__(self, bindings: tuple[Binding, ...] = DEFAULT_BINDINGS) -> None:
        self.bindings = bindings
        self._by_key: dict[str, Action] = {}
        for b in bindings:
            for key in b.keys:
                norm = normalise_key(key)
                if not norm:
                    raise InvalidInput(QCoreApplication.translate("KeyMap", "The key “{key}” for “{help}” is not a "
                                                                            "key Qt can read.").format(
                                           key=key, help=b.shown_help))
                if norm in self._by_key:
                    raise InvalidInput(QCoreApplication.translate("KeyMap", "The key “{key}” is bound twice: to "
                                                                            "“{help}” and to “{help2}”.").format(
                                           key=key, help=b.shown_help,
                                           help2=self.binding(self._by_key[norm]).shown_help))
                self._by_key[norm] = b.action

    def binding(self, action: Action) -> Binding:
        return next(b for b in self.bindings if b.action is action)

    def action_for(self, key_text: str) -> Action | None:
        return self._by_key.get(key_text)

    def lookup(self, event: QKeyEvent) -> tuple[Action, str] | None:
        """The action of a key press and the key text that chose it (a preset needs its digit)."""
        text = event_key(event)
        action = self._by_key.get(text)
        return None if action is None else (action, text)

    def keys(self) -> dict[str, Action]:
        """Every bound key (portable text) and its action."""
        return dict(self._by_key)

    def help_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the Help dialog, in table order."""
        return [(b.key_label, b.shown_help) for b in self.bindings]


def keymap_with_overrides(overrides: object) -> KeyMap:
    """The default table with a user's rebindings: ``{"finding-accept": ["Ctrl+Y"], …}``.

    Raises :class:`InvalidInput` naming the first problem (unknown action, pointer gesture,
    key that is not a key, key bound twice): a bad file changes nothing."""
    if not isinstance(overrides, dict):
        raise InvalidInput(QCoreApplication.translate("radiology.keymap", "Key bindings must be a JSON object of "
                                                                          "action → list of keys."))
    by_action = {b.action.value: b for b in DEFAULT_BINDINGS}
    changed: dict[str, Binding] = {}
    for name, keys in overrides.items():
        base = by_action.get(name)
        if base is None:
            raise InvalidInput(QCoreApplication.translate("radiology.keymap", "“{name}” is not an action that has "
                                                                              "keys; known: ").format(name=name)
                               + ", ".join(a for a, b in by_action.items() if b.keys))
        if not base.keys:
            raise InvalidInput(QCoreApplication.translate("radiology.keymap", "“{name}” is a mouse gesture and "
                                                                              "cannot be given keys.").format(
                                   name=name))
        if (not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys)):
            raise InvalidInput(QCoreApplication.translate("radiology.keymap", "The keys for “{name}” must be a "
                                                                              "non-empty list of key names.").format(
                                   name=name))
        changed[name] = replace(base, keys=tuple(keys), label="" if base.action is not Action.PRESET
                                else " / ".join(keys))
    return KeyMap(tuple(changed.get(b.action.value, b) for b in DEFAULT_BINDINGS))


def load_keymap(path: Path) -> KeyMap:
    """A user's key map from their JSON file; the defaults when there is none."""
    if not path.exists():
        return KeyMap()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(QCoreApplication.translate("radiology.keymap", "The key bindings file cannot be read: "
                                                                          "{name__}.").format(
                               name__=type(exc).__name__)) from None
    return keymap_with_overrides(data)
