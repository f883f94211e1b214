"""The DICOM-sample and crypto self-test lines in the reader's language, when shown.

A sample line is built from parts (the sample's description, then one outcome per
decoder plugin), so no single template matches it: it is taken apart here at the seams
the self-test itself writes, and each part goes through its own template. Codec,
transfer-syntax and algorithm names stay as written. A decoder's own message (third-
party text) is never shown in the translated line; the JSON report keeps it.
"""

from __future__ import annotations

import re

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.i18n.template_match import TemplateWording

#: Outcomes of one plugin on one sample (selftest/dicom_samples.py).
OUTCOMES = (
    QT_TRANSLATE_NOOP("selftest_detail", "exact"),
    QT_TRANSLATE_NOOP("selftest_detail", "within bound (max error {worst})"),
    QT_TRANSLATE_NOOP("selftest_detail", "{count} pixels differ (lossless must be exact)"),
    QT_TRANSLATE_NOOP("selftest_detail", "shape {shape}, expected {expected}"),
    QT_TRANSLATE_NOOP("selftest_detail", "dtype {dtype}, expected {expected}"),
    QT_TRANSLATE_NOOP("selftest_detail", "error max {worst} / mean {mean} exceeds the bound {bound} / "
                                         "{mean_bound}"),
    QT_TRANSLATE_NOOP("selftest_detail", "sample file {file} is damaged (SHA-256 mismatch); reinstall the "
                                         "application"),
    QT_TRANSLATE_NOOP("selftest_detail", "no decoder plugin available for this transfer syntax (a codec "
                                         "package or its metadata is missing)"),
    # ``why`` names the codec packages pydicom misses (shown as written: package names).
    QT_TRANSLATE_NOOP("selftest_detail", "not available ({why})"),
)

_OUTCOME = TemplateWording(lambda text: translate("selftest_detail", text), OUTCOMES)
_DESCRIPTION = re.compile(r"^(?P<syntax>[^:]+), (?P<bits>\d+)-bit (?P<kind>unsigned|signed|RGB)"
                          r"(?:, (?P<frames>\d+) frames)?$")
_LAYOUTS = {
    "unsigned": QT_TRANSLATE_NOOP("selftest_detail", "{syntax}, {bits}-bit unsigned"),
    "signed": QT_TRANSLATE_NOOP("selftest_detail", "{syntax}, {bits}-bit signed"),
    "RGB": QT_TRANSLATE_NOOP("selftest_detail", "{syntax}, {bits}-bit RGB"),
}
# A new plugin's outcome starts after "; " with its name (dicom_samples writes names without spaces).
_NEXT_PLUGIN = re.compile(r"; (?=[\w.-]+(?: \(optional\))?: )")
_SEGMENT = re.compile(r"^(?P<plugin>[\w.-]+)(?P<optional> \(optional\))?: (?P<outcome>.*)$", re.S)
_CANNOT_DECODE = re.compile(r"^cannot decode: (?P<error>\w+): ", re.S)


def shown_codec_line(detail: str) -> str | None:
    """A DICOM-sample line in the reader's language, or None when ``detail`` is not one."""
    head, sep, rest = detail.partition(": ")
    found = _DESCRIPTION.match(head)
    if not sep or found is None:
        return None
    description = translate("selftest_detail", _LAYOUTS[found["kind"]]).format(
        syntax=found["syntax"], bits=found["bits"])
    if found["frames"]:
        description = translate("selftest_detail", "{layout}, {frames} frames").format(
            layout=description, frames=found["frames"])
    shown = [_shown_segment(part) for part in _NEXT_PLUGIN.split(rest)]
    outcomes = shown[0]
    for more in shown[1:]:
        outcomes = translate("selftest_detail", "{outcomes}; {more}").format(outcomes=outcomes, more=more)
    return translate("selftest_detail", "{description}: {outcomes}").format(
        description=description, outcomes=outcomes)


def _shown_segment(segment: str) -> str:
    found = _SEGMENT.match(segment)
    if found is None:
        return _shown_outcome(segment)
    outcome = _shown_outcome(found["outcome"])
    if found["optional"]:
        return translate("selftest_detail", "{plugin} (optional): {outcome}").format(
            plugin=found["plugin"], outcome=outcome)
    return translate("selftest_detail", "{plugin}: {outcome}").format(plugin=found["plugin"], outcome=outcome)


def _shown_outcome(outcome: str) -> str:
    decode = _CANNOT_DECODE.match(outcome)
    if decode is not None or outcome.startswith("cannot decode: "):
        error = decode["error"] if decode is not None else "?"
        return translate("selftest_detail", "cannot decode ({error}; the decoder's own message is in the "
                                            "--json report)").format(error=error)
    return _OUTCOME.shown(outcome)
