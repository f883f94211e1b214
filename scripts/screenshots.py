"""Save a PNG of each screen into docs/screenshots/ (for the README and for review).

Run offscreen (no display needed) or under Xvfb:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--only NAME ...] [--out DIR]

Screens come from a freshly built demo store in a temporary folder, so every picture
shows synthetic data only. Each screen is a function registered in ``SCREENS``; add
yours there. Look at the pictures after changing a screen: text must fit, nothing may
overlap, images must be the right way up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLINIC_APP_SITE_CONFIG", os.devnull)
os.environ.setdefault("CLINIC_APP_USER_CONFIG", os.devnull)

import screen_capture
from screen_capture import ROOT, THEME, Demo
from screens_physician import china_screens, entered_screens, physician_screens
from screens_radiology import radiology_screens
from screens_shell import admin_screens, shell_screens

from clinic_app.ui.app import create_application
from clinic_app.ui.workers import WorkerPool

OUT = ROOT / "docs" / "screenshots"


#: name → function(demo, pool, out) returning the PNGs it saved.
SCREENS: dict[str, Callable[[Demo, WorkerPool, Path], list[Path]]] = {
    "radiology": radiology_screens,
    "physician": physician_screens,
    "china": china_screens,
    "entered": entered_screens,
    "shell": shell_screens,
    "admin": admin_screens,  # last: it tampers with the demo store's audit log
}


def prevent_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    """The PREVENT add-on models (scripts/screenshots_prevent.py)."""
    from screenshots_prevent import prevent_screens as screens

    return screens(demo, pool, out)


SCREENS = {"prevent": prevent_screens, **SCREENS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SCREENS), help="screens to save")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--theme", choices=("dark", "light"), default="dark")
    parser.add_argument("--lang", choices=("en", "zh_CN"), default="en",
                        help="interface language of the screens")
    parser.add_argument("--leftovers", type=Path,
                        help="write the English texts left on each screen to this file")
    args = parser.parse_args(argv)
    screen_capture.LEFTOVERS = args.leftovers
    if args.leftovers is not None:
        args.leftovers.write_text("", encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    THEME[0] = args.theme
    app = create_application(theme=args.theme, language=args.lang)
    pool = WorkerPool()
    demo = Demo()
    try:
        for name in args.only or list(SCREENS):  # in order: "admin" tampers, so it runs last
            SCREENS[name](demo, pool, args.out)
    finally:
        pool.cancel_all()
        pool.wait(30_000)
        demo.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
