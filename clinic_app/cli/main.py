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
from clinic_app.errors import ClinicAppError, ConfigError
from clinic_app.i18n import current_language, set_language, translate
from clinic_app.i18n.choice import chosen_language

if TYPE_CHECKING:  # imported in main(): it loads the whole service layer
    from clinic_app.cli.runtime import Runtime

#: Modules under clinic_app.cli that add subcommands (each has ``register(subparsers)``).
COMMAND_MODULES = ("accounts", "audit_cmd", "imaging", "models", "records", "analysis", "demo",
                   "report", "store_cmd", "keys_cmd",
                   "review_cmd", "export_cmd", "pacs", "terminology_cmd")

#: Start-up (issue 16): the modules a command's parser needs, so that a call imports only
#: those (with what they import) instead of every command's services. A command missing
#: here still works: the full parser is built. List every module that adds to a command.
COMMAND_HOMES: dict[str, tuple[str, ...]] = {
    "init": ("accounts",), "passwd": ("accounts",), "recovery": ("accounts",),
    "users": ("accounts",), "audit": ("audit_cmd",), "import": ("imaging", "records"),
    "studies": ("imaging",), "models": ("models",), "score": ("models",),
    "patients": ("records",), "analyze": ("analysis",), "findings": ("analysis",),
    "review": ("analysis",), "demo": ("demo",), "report": ("report",), "backup": ("store_cmd",),
    "restore": ("store_cmd",), "store": ("store_cmd",), "keys": ("keys_cmd",),
    "add-finding": ("review_cmd",), "export": ("export_cmd",), "pacs": ("pacs",),
    "terminology": ("terminology_cmd",),
}
#: Top-level options that take a value (so the value is not mistaken for the command).
_VALUE_OPTIONS = ("--store", "--self-test-probe", "--lang")
_FLAGS = ("--self-test", "--json", "--verbose")


def _modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules this command line needs: its command's, none for a bare
    self-test, every one otherwise (no command: help, or the desktop app)."""
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            break
        if not arg.startswith("-"):
            homes = COMMAND_HOMES.get(arg)
            return homes if homes and all(m in COMMAND_MODULES for m in homes) else COMMAND_MODULES
        if arg in _VALUE_OPTIONS:
            i += 1  # skip the option's value
        elif arg not in _FLAGS and arg.split("=", 1)[0] not in _VALUE_OPTIONS:
            return COMMAND_MODULES  # help, or an abbreviated option: argparse sorts it out
        i += 1
    if any(a in ("--self-test", "--self-test-probe") or a.startswith("--self-test-probe=")
           for a in args):
        return ()
    return COMMAND_MODULES


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clinic-app",
        description=translate("cli", "Desktop clinician assistant. With no command, opens the desktop app."),
    )
    parser.add_argument("--version", action="version", version=f"clinic-app {__version__}",
                        help=translate("argparse", "show program's version number and exit"))
    parser.add_argument("--store", metavar="DIR",
                        help=translate("cli", "store folder (default: $CLINIC_APP_STORE, then the platform "
                                              "data dir)"))
    parser.add_argument("--self-test", action="store_true",
                        help=translate("cli", "check codecs, models, crypto, Qt and the store location; exit "
                                              "non-zero on failure"))
    parser.add_argument("--json", dest="self_test_json", action="store_true",
                        help=translate("cli", "with --self-test: print the report as JSON"))
    # Internal: one self-test check run in a child process (see clinic_app/selftest/probes.py).
    parser.add_argument("--self-test-probe", metavar="NAME", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help=translate("cli", "log debug detail to the log file"))
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=translate(
            "cli",
            "interface language for this run: en or zh_CN (default: $CLINIC_APP_LANG, "
            "then the user's and the site's 'language' setting)",
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(f"clinic_app.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before any command module (services, onnx, imaging) is imported.
        print(translate("cli", "clinic-app {version__}").format(version__=__version__), file=stdout)
        return 0
    from clinic_app.cli.runtime import Runtime

    try:
        _apply_language(list(sys.argv[1:] if argv is None else argv))
    except ClinicAppError as exc:
        print(translate("cli", "clinic-app: {exc}").format(exc=exc), file=stderr)
        return exc.exit_code
    from clinic_app.cli.argparse_text import install as speak_argparse

    speak_argparse()
    modules = _modules_for(sys.argv[1:] if argv is None else argv)
    parser = build_parser(modules)
    if modules != COMMAND_MODULES and _command_missing(parser, modules):
        parser = build_parser()  # COMMAND_HOMES is out of date: parse with every command
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
        print(translate("cli", "clinic-app: {exc}").format(exc=exc), file=stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(translate("cli", "clinic-app: interrupted; nothing partial was kept."), file=stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        _silence_stdout(stdout)
        return 141
    except Exception as exc:  # the last line of defence: never a traceback
        from clinic_app.logging_setup import log_unexpected

        log_unexpected(exc)
        where = rt.settings.effective_log_dir if rt._settings else translate("cli", "the log folder")
        print(translate("cli", "clinic-app: internal error ({kind}); details are in the log at {where}. "
                        "Please report it to IT.").format(kind=type(exc).__name__, where=where),
              file=stderr)
        return 1
    finally:
        rt.close()


def _command_missing(parser: argparse.ArgumentParser, modules: Sequence[str]) -> bool:
    """Whether a command that COMMAND_HOMES assigns to these modules was not registered."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    registered = set(sub.choices) if sub else set()
    wanted = {cmd for cmd, homes in COMMAND_HOMES.items() if set(homes) <= set(modules)}
    return bool(wanted - registered)


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
    return run_gui(rt.settings, current_language().value)


def _apply_language(argv: list[str]) -> None:
    """Speak the user's language (``--lang``, $CLINIC_APP_LANG, user then site setting)
    from the first line printed, help included: so before the parser is built.

    A config file that does not load is reported by the command that needs it (or by
    the self-test); until then the override or English is used.
    """
    override = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            override = argv[i + 1]
        elif arg.startswith("--lang="):
            override = arg.split("=", 1)[1]
    from clinic_app.config import load_settings

    try:
        setting = load_settings().language
    except ConfigError:
        setting = "en"
    set_language(chosen_language(setting, override))
