"""clinic-app demo: build a demo store (users, synthetic patients, images, AI results), open the app.

The README's run command. The store goes to ``--store DIR`` (given before or after
``demo``), else to a ``demo-store`` folder beside the platform's default store, never to
the configured clinical store. An existing demo store is reused (``--reset`` rebuilds
it); a folder holding anything else is refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from clinic_app.cli.runtime import Runtime
from clinic_app.config import load_settings
from clinic_app.i18n import translate

#: Qt platforms that draw without a screen (a window would open nowhere a person sees).
_HEADLESS = ("offscreen", "minimal", "vnc")


def missing_display(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why the app's window cannot be shown here, or None when it can (as far as we can
    tell before starting Qt): on Linux and BSD a window needs an X or Wayland display."""
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa.split(":")[0] in _HEADLESS:
        return translate("demo", "QT_QPA_PLATFORM={qpa} draws no window on a screen").format(qpa=qpa)
    if platform.startswith(("win", "darwin")) or qpa:
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return translate("demo", "no display: DISPLAY and WAYLAND_DISPLAY are not set")
    return None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo", help=translate("cli", "build a demo store with synthetic patients, images and AI results, "
                                      "and open it"),
        description=translate("cli", "Build a demo store (demo users for each role, a synthetic cohort with "
                    "records, CT and CR studies with AI findings) and open the desktop app on "
                    "it. The demo passwords are printed; nothing in it is real."))
    # dest differs from the global --store so argparse's sub-parser defaults cannot erase it
    p.add_argument("--store", dest="demo_store", metavar="DIR",
                   help=translate("cli", "demo store folder (default: 'demo-store' beside the default store)"))
    p.add_argument("--no-gui", action="store_true", help=translate("cli", "only build the store and print how to "
                                                                          "sign in"))
    p.add_argument("--reset", action="store_true", help=translate("cli", "delete an existing demo store and "
                                                                         "build it again"))
    p.set_defaults(handler=cmd_demo)


def cmd_demo(rt: Runtime) -> int:
    from clinic_app.demo import build_demo, default_demo_dir, login_text, prepare

    args = rt.args
    chosen = args.demo_store or args.store
    store = Path(chosen).expanduser().absolute() if chosen else default_demo_dir()
    # Site/user config still apply (models folder, GPU preference…); only the store moves.
    settings = replace(load_settings(store), store_dir=store)

    def say(text: str) -> None:
        print(text, file=rt.stdout, flush=True)

    no_window = None if args.no_gui else missing_display(os.environ)
    if no_window is not None:  # said before the build, not after 45 s of it
        say(translate("demo", "The demo opens a window, which needs a display ({reason}). Building "
                              "the store only; open it on a desktop, or use --no-gui next time.")
            .format(reason=no_window))
    if prepare(settings, reset=args.reset, report=say):
        result = build_demo(settings, report=say)
        say(translate("cli", "Built in {seconds:.0f} s: {patients} patients, {studies} studies, {flagged} "
                             "flagged AI finding(s).").format(
                seconds=result.seconds, patients=result.patients, studies=result.studies,
                flagged=result.flagged))
    say("")
    say(login_text(store))
    if args.no_gui or no_window is not None:
        say(translate("cli", "\nOpen it with:  clinic-app demo --store {store}").format(store=store))
        return 0
    try:
        from clinic_app.ui.app import run_gui
    except ImportError as exc:  # Qt missing or broken: the store is still usable from the CLI
        say(translate("cli", "\nThe desktop app cannot start here ({exc}). Use the CLI with --store {store}.").format(
                exc=exc, store=store))
        return 1
    return run_gui(settings)
