"""``clinic-app --self-test``: run the self-test's checks and print the report.

The checks themselves are Qt-free and know nothing of the command line
(:func:`clinic_app.selftest.run_checks`); this module is only the front end: it reads the
configuration (a broken one is a FAIL line, not an abort, so the other checks still run on
the defaults), prints one line per item or JSON for machines, and returns the exit code.
"""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path
from typing import Any

from clinic_app.cli.runtime import Runtime
from clinic_app.config import Settings, default_store_dir, site_config_path, user_config_path
from clinic_app.errors import ClinicAppError
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.selftest import CheckResult, CheckStatus, SelfTestReport, run_checks
from clinic_app.selftest.wording import shown_detail


def run_self_test(rt: Runtime) -> int:
    """Run every check, print the report (``--json`` for machines), return the exit code."""
    settings, config_item = _settings_for(rt)
    report = run_checks(settings, config_item=config_item,
                        log_path_probe=lambda s: _configure_logging(s, rt.args))
    if getattr(rt.args, "self_test_json", False):
        rt.print_json(report.to_json())
    else:
        _print_report(rt, report)
    return 0 if report.ok else 1


def _settings_for(rt: Runtime) -> tuple[Settings, CheckResult]:
    started = time.perf_counter()
    site, user = site_config_path(), user_config_path()
    try:
        settings = rt.settings
    except ClinicAppError as exc:
        store = getattr(rt.args, "store", None)
        fallback = Settings(store_dir=Path(store).absolute() if store else default_store_dir())
        return fallback, CheckResult("config", CheckStatus.FAIL,
                                     translate("cli", "{exc} (other checks use the defaults)"
                                               ).format(exc=exc),
                                     time.perf_counter() - started)
    detail = translate("cli", "site {site} ({presence}), user {user} ({presence2})").format(
                 site=site, presence=_presence(site), user=user, presence2=_presence(user))
    exposed = _site_file_exposure(site)
    if exposed:
        return settings, CheckResult(
            "config",
            CheckStatus.FAIL,
            translate(
                "cli",
                "{exposed}: any user could change the "
                "site policy. IT: chown root:root and "
                "chmod 644 the file, chmod 755 its "
                "folder",
            ).format(exposed=exposed),
            time.perf_counter() - started,
        )
    return settings, CheckResult("config", CheckStatus.PASS, detail, time.perf_counter() - started)


def _site_file_exposure(path: Path) -> str | None:
    """Why a non-administrator could rewrite the site config (POSIX), or None.

    The site file carries security policy (lockout, password length, unsigned models), so
    it and its folder must be writable by root only. Ownership is only checked at the
    platform's standard location; a path given in $CLINIC_APP_SITE_CONFIG (tests, trying a
    policy out) is still refused if anyone at all may write it.
    """
    if os.name != "posix" or path == Path(os.devnull) or not path.is_file():
        return None
    standard = "CLINIC_APP_SITE_CONFIG" not in os.environ
    for target in (path, path.parent):
        info = target.stat()
        if info.st_mode & 0o002:
            return translate("cli", "{target} is writable by every user").format(target=target)
        if standard and info.st_mode & 0o020 and info.st_gid != 0:
            return translate("cli", "{target} is writable by group id {st_gid}").format(
                       target=target, st_gid=info.st_gid)
        if standard and info.st_uid != 0:
            return translate("cli", "{target} is owned by user id {st_uid}, not root").format(
                       target=target, st_uid=info.st_uid)
    return None


def _presence(path: Path) -> str:
    """Whether a config file was read, in the reader's language (the detail it goes into
    is built in the reader's language too)."""
    if path == Path(os.devnull):
        return translate("cli", "disabled")
    return translate("cli", "read") if path.is_file() else translate("cli", "absent")


def _configure_logging(settings: Settings, args: Any) -> Path | None:
    from clinic_app.logging_setup import configure

    return configure(settings.effective_log_dir, verbose=bool(getattr(args, "verbose", False)))


def _print_report(rt: Runtime, report: SelfTestReport) -> None:
    build = report.bundle
    where = (translate("cli", "bundle {get} variant, built {get2}").format(
                 get=build.get('variant', '?'), get2=build.get('built', '?'))
             if build else translate("cli", "source install"))
    rt.print(translate("cli", "clinic-app {version} self-test ({where}; {platform})").format(
                 version=report.version, where=where, platform=report.platform))
    names = [shown_check_name(i.name) for i in report.items]
    width = max(text_width(n) for n in names)
    for item, name in zip(report.items, names, strict=True):
        rt.print(f"{item.status}  {name}{' ' * (width - text_width(name))}  {shown_detail(item.detail)}")
    counts = report.counts()
    verdict = translate("cli", "all checks passed") if report.ok else translate("cli", "FAILED")
    rt.print(translate("cli", "self-test {verdict}: {value} passed, {value2} failed, {value3} skipped in "
                              "{seconds:.1f} s").format(
                 verdict=verdict, value=counts[CheckStatus.PASS],
                 value2=counts[CheckStatus.FAIL], value3=counts[CheckStatus.SKIP],
                 seconds=report.seconds))


#: The self-test's item names (clinic_app/selftest), for lupdate; the JSON report keeps
#: them in English, as scripts read them.
CHECK_NAMES = (
    QT_TRANSLATE_NOOP("selftest", "config"), QT_TRANSLATE_NOOP("selftest", "log folder"),
    QT_TRANSLATE_NOOP("selftest", "store location"), QT_TRANSLATE_NOOP("selftest", "crypto"),
    QT_TRANSLATE_NOOP("selftest", "dicom samples"), QT_TRANSLATE_NOOP("selftest", "models"),
    QT_TRANSLATE_NOOP("selftest", "terminology"), QT_TRANSLATE_NOOP("selftest", "qt offscreen"),
    QT_TRANSLATE_NOOP("selftest", "qt desktop"), QT_TRANSLATE_NOOP("selftest", "CJK font"),
    QT_TRANSLATE_NOOP("selftest", "onnxruntime"),
)


def shown_check_name(name: str) -> str:
    """A check's name in the reader's language ("dicom rle" -> "DICOM 样例 rle")."""
    kind, _, rest = name.partition(" ")
    if kind == "dicom" and rest != "samples":
        return translate("selftest", "dicom {sample}").format(sample=rest)
    if kind == "model":
        return translate("selftest", "model {id}").format(id=rest)
    return translate("selftest", name)


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
