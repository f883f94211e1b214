"""clinic-app demo: build a demo store (users, synthetic patients, images, AI results), open the app.

The README's run command. The store goes to ``--store DIR`` (given before or after
``demo``), else to a ``demo-store`` folder beside the platform's default store, never to
the configured clinical store. An existing demo store is reused (``--reset`` rebuilds
it); a folder holding anything else is refused.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from clinic_app.cli.runtime import Runtime
from clinic_app.config import load_settings
from clinic_app.i18n import translate


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

    if prepare(settings, reset=args.reset, report=say):
        result = build_demo(settings, report=say)
        say(translate("cli", "Built in {seconds:.0f} s: {patients} patients, {studies} studies, {flagged} "
                             "flagged AI finding(s).").format(
                seconds=result.seconds, patients=result.patients, studies=result.studies,
                flagged=result.flagged))
    say("")
    say(login_text(store))
    if args.no_gui:
        say(translate("cli", "\nOpen it with:  clinic-app demo --store {store}").format(store=store))
        return 0
    try:
        from clinic_app.ui.app import run_gui
    except ImportError as exc:  # Qt missing or broken: the store is still usable from the CLI
        say(translate("cli", "\nThe desktop app cannot start here ({exc}). Use the CLI with --store {store}.").format(
                exc=exc, store=store))
        return 1
    return run_gui(settings)
