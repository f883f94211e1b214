"""Dark reading-room theme and a light option, as a Fusion palette plus a small style sheet.

Reading rooms are dim: the dark theme keeps large surfaces near-black and neutral (no
tint that would bias grey-scale perception), text mid-grey rather than white to avoid
glare, and saturated colour only for states that need attention (errors, warnings,
demo-model banners). Fusion renders the same on every platform, so screenshots and
tests show what users get.

Widgets opt into the state colours with a dynamic property: ``banner`` = "ok" | "warn"
| "error" | "info" on a QLabel or QFrame.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

THEMES = ("dark", "light")


@dataclass(frozen=True)
class Colours:
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    button: str
    highlight: str
    highlight_text: str
    link: str
    ok: str
    warn: str
    error: str
    info: str
    banner_text: str


DARK = Colours(window="#1b1c1e", base="#121314", alternate="#1f2022", text="#d4d4d4",
               muted="#8a8d91", button="#2a2c2f", highlight="#2d5f99", highlight_text="#ffffff",
               link="#7fb0ea", ok="#1f5a32", warn="#6b5200", error="#7a1f1f", info="#23405f",
               banner_text="#f0f0f0")
LIGHT = Colours(window="#f3f3f3", base="#ffffff", alternate="#f7f7f7", text="#1d1d1d",
                muted="#5f6368", button="#e6e6e6", highlight="#2f6db5", highlight_text="#ffffff",
                link="#1f5fa8", ok="#d7f0dd", warn="#fff0c2", error="#f8d7d7", info="#dde9f7",
                banner_text="#1d1d1d")


def colours(name: str) -> Colours:
    return DARK if name == "dark" else LIGHT


def palette(c: Colours) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    pairs = {
        role.Window: c.window, role.WindowText: c.text, role.Base: c.base,
        role.AlternateBase: c.alternate, role.ToolTipBase: c.button, role.ToolTipText: c.text,
        role.PlaceholderText: c.muted, role.Text: c.text, role.Button: c.button,
        role.ButtonText: c.text, role.BrightText: "#ff5555", role.Highlight: c.highlight,
        role.HighlightedText: c.highlight_text, role.Link: c.link, role.LinkVisited: c.link,
    }
    for r, value in pairs.items():
        pal.setColor(r, QColor(value))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, r, QColor(c.muted))
    return pal


def style_sheet(c: Colours) -> str:
    banners = "\n".join(
        f'*[banner="{kind}"] {{ background: {colour}; color: {c.banner_text};'
        f" border-radius: 4px; padding: 6px 10px; }}"
        for kind, colour in (("ok", c.ok), ("warn", c.warn), ("error", c.error), ("info", c.info)))
    return f"""
{banners}
QLabel[hint="true"] {{ color: {c.muted}; }}
QLabel[heading="true"] {{ font-size: 15pt; font-weight: 600; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QTableView {{ gridline-color: {c.alternate}; }}
"""


def apply_theme(app: QApplication, name: str) -> None:
    """Switch the whole application to ``name`` ("dark" or "light")."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}")
    c = colours(name)
    if app.property("clinicTheme") is None:  # once: replacing a live style can crash Qt
        app.setStyle("Fusion")
    app.setPalette(palette(c))
    app.setStyleSheet(style_sheet(c))
    app.setProperty("clinicTheme", name)


def current_theme(app: QApplication) -> str:
    return str(app.property("clinicTheme") or "dark")


def compact_rows(view: QAbstractItemView) -> None:
    """Table rows one text line high (plus a little air), so more of a list fits."""
    header = getattr(view, "verticalHeader", None)
    if callable(header):
        header().setDefaultSectionSize(view.fontMetrics().height() + 8)


def set_banner(widget: QWidget, kind: str | None) -> None:
    """Give a label/frame a state colour ("ok", "warn", "error", "info") or none."""
    widget.setProperty("banner", kind or "")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.updateGeometry()  # the banner's padding changes its size hint
