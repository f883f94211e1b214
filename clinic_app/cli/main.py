"""Command-line entry point: ``clinic-app`` and ``python -m clinic_app``.

Every command is a thin shell over the service layer. Failures print one line on
stderr saying what is wrong and what to do, and exit with the code documented in the
README (0 ok, 1 failure, 2 usage, 3 authentication, 4 permission, 5 integrity).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from clinic_app import __version__
from clinic_app.errors import ClinicAppError

if TYPE_CHECKING:  # imported in main(): it loads the whole service layer
    from clinic_app.cli.runtime import Runtime

#: Modules under clinic_app.cli that add subcommands (each has ``register(subparsers)``).
COMMAND_MODULES = ("accounts", "audit_cmd", "imaging", "models", "records", "analysis", "demo",
                   "report", "store_cmd", "keys_cmd",
                   "review_cmd", "export_cmd", "pacs")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clinic-app",
        description="Desktop clinician assistant. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"clinic-app {__version__}")
    parser.add_argument("--store", metavar="DIR",
                        help="store folder (default: $CLINIC_APP_STORE, then the platform data dir)")
    parser.add_argument("--self-test", action="store_true",
                        help="check codecs, models, crypto, Qt and the store location; exit non-zero on failure")
    parser.add_argument("--json", dest="self_test_json", action="store_true",
                        help="with --self-test: print the report as JSON")
    # Internal: one self-test check run in a child process (see clinic_app/selftest/probes.py).
    parser.add_argument("--self-test-probe", metavar="NAME", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="log debug detail to the log file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"clinic_app.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before any command module (services, onnx, imaging) is imported.
        print(f"clinic-app {__version__}", file=stdout)
        return 0
    from clinic_app.cli.runtime import Runtime

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return int(exc.code or 0)
    rt = Runtime(args, stdout, stderr)
    try:
        if args.self_test_probe:
            from clinic_app.selftest.probes import probe_main

            return probe_main(args.self_test_probe)
        if args.self_test:  # before logging: a bad config is a FAIL line, not an abort
            from clinic_app.cli.self_test import run_self_test

            return run_self_test(rt)
        _configure_logging(rt)
        handler = getattr(args, "handler", None)
        if handler is None:
            return _default_action(rt, parser)
        return int(handler(rt))
    except ClinicAppError as exc:
        print(f"clinic-app: {exc}", file=stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("clinic-app: interrupted; nothing partial was kept.", file=stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        _silence_stdout(stdout)
        return 141
    except Exception as exc:  # the last line of defence: never a traceback
        from clinic_app.logging_setup import log_unexpected

        log_unexpected(exc)
        print(f"clinic-app: internal error ({type(exc).__name__}); details are in the log at "
              f"{rt.settings.effective_log_dir if rt._settings else 'the log folder'}. "
              "Please report it to IT.", file=stderr)
        return 1
    finally:
        rt.close()


def _silence_stdout(stdout: TextIO) -> None:
    """Point a closed stdout at /dev/null so the interpreter's final flush cannot raise
    BrokenPipeError again at exit (the recipe in the Python signal documentation)."""
    try:
        fd = stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _configure_logging(rt: Runtime) -> None:
    from clinic_app.logging_setup import configure

    try:
        log_dir = rt.settings.effective_log_dir
    except ClinicAppError:
        raise
    configure(log_dir, verbose=rt.args.verbose)


def _default_action(rt: Runtime, parser: argparse.ArgumentParser) -> int:
    try:
        from clinic_app.ui.app import run_gui
    except ImportError:
        parser.print_help(rt.stdout)
        return 0
    return run_gui(rt.settings)
