"""models evaluate: an imaging model's lesion-level metrics on a labelled folder (docs/imaging-ai.md)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.i18n import translate

if TYPE_CHECKING:  # imported in the handlers: 'models'/'score' must not load imaging (issue 16)
    from clinic_app.services.model_evaluation import EvaluationReport


def register(msub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = msub.add_parser(
        "evaluate", help=translate("cli", "measure an imaging model on DICOM series with known lesions "
                         "(radiologist or admin)"),
        description=translate("cli", "Runs the installed model through the app's pipeline on every series the "
                    "truth file names and prints a per-lesion table, sensitivity at 0.5/1/2/4 "
                    "false positives per scan (FROC), size errors, score calibration and the "
                    "execution provider. Truth format: docs/imaging-ai.md."))
    p.add_argument("id", help=translate("cli", "installed imaging model id (see 'models list')"))
    p.add_argument("--data", type=Path, required=True, metavar="DIR",
                   help=translate("cli", "folder of DICOM series (searched recursively)"))
    p.add_argument("--truth", type=Path, metavar="FILE",
                   help=translate("cli", "truth file (default DIR/truth.json, else the DICOM SEG objects in "
                                         "DIR)"))
    p.add_argument("--write-manifest", type=Path, metavar="PACKAGE_DIR",
                   help=translate("cli", "write the metrics into this package's manifest (then re-pin or "
                                         "re-sign)"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_evaluate)


def cmd_evaluate(rt: Runtime) -> int:
    from clinic_app.cli.imaging import _StderrProgress
    from clinic_app.services.model_evaluation import record_in_package

    with rt.session() as sess:
        report = rt.services.model_evaluation.evaluate(
            sess, rt.args.id, rt.args.data, rt.args.truth, progress=_StderrProgress(rt.stderr))
    written = ""
    if rt.args.write_manifest:
        command = (translate("cli", "clinic-app models evaluate ") + shlex.quote(rt.args.id) + " --data "
                   + shlex.quote(rt.args.data.name))
        written = record_in_package(rt.args.write_manifest, report, command)
    if rt.args.json:
        out = report.as_json()
        if written:
            out["manifest_sha256"] = written
        rt.print_json(out)
        return 0
    _print(rt, report)
    if written:
        rt.print(translate("cli", "Metrics written to {value} (manifest {value2}); re-pin or re-sign it "
                                  "(models/SIGNING.md).").format(
                     value=rt.args.write_manifest / 'manifest.json', value2=written[:12]))
    return 0


def _pct(value: object) -> str:
    return f"{value * 100:+.0f} %" if isinstance(value, float) else "-"


def _band(band: dict) -> str:
    """One diameter band in words: "6–10 mm: found 20 of 21, size goal met by 19"."""
    lo, hi = band["diameter_mm"]
    if not lo:
        where = translate("cli", "under {value:g} mm").format(value=hi)
    elif hi is None:
        where = translate("cli", "{value:g} mm and over").format(value=lo)
    else:
        where = translate("cli", "{value:g}–{value2:g} mm").format(value=lo, value2=hi)
    return translate("cli", "{where}: found {found} of {lesions}, size goal met by {goal}").format(
        where=where, found=band["found"], lesions=band["lesions"], goal=band["meets_size_goal"])


def _print(rt: Runtime, report: EvaluationReport) -> None:
    from clinic_app.cli.analysis import DEMO_BANNER

    if report.demo:
        rt.print(DEMO_BANNER)
    m = report.metrics
    rt.print(translate("cli", "{model_id} {version} on {provider}: {value} scans ({value2} without a "
                              "lesion), {value3} lesions, {seconds:.1f} s").format(
                 model_id=report.model_id, version=report.version, provider=report.provider,
                 value=m['scans'], value2=m['scans_without_lesion'], value3=m['lesions'],
                 seconds=report.seconds))
    if report.description:
        rt.print(translate("cli", "Data: {description}").format(description=report.description))
    rows = [
        {
            "scan": r.scan_id,
            "lesion": r.lesion_id,
            "diameter": translate("cli", "{diameter_mm:.1f} mm").format(diameter_mm=r.diameter_mm),
            "slices": translate("cli", "{slice_mm:g} mm").format(slice_mm=r.slice_mm) if r.slice_mm else "-",
            "findings": r.findings,
            "score": f"{r.score:.2f}" if r.score is not None else "-",
            "centre error": translate("cli", "{centre_error_mm:.1f} mm").format(centre_error_mm=r.centre_error_mm)
            if r.centre_error_mm is not None
            else "-",
            "diameter error": _pct(r.diameter_error),
            "volume error": _pct(r.volume_error),
            "goal": "yes" if r.meets_goal else "no",
        }
        for r in report.rows
    ]
    rt.table(rows, ["scan", "lesion", "diameter", "slices", "findings", "score", translate("cli", "centre error"),
                    translate("cli", "diameter error"), translate("cli", "volume error"), "goal"])
    froc = ", ".join(f"{rate} FP: {s:.2f}" for rate, s in m["froc_sensitivity"].items())
    rt.print(translate("cli", "Sensitivity at the flag threshold {value:.2f}, false positives per scan "
                              "{value2:.2f}").format(
                 value=m['sensitivity'], value2=m['false_positives_per_scan'])
             + (translate("cli", " ({value:.2f} on scans without a lesion)").format(
                    value=m['false_positives_per_scan_without_lesion'])
                if m["false_positives_per_scan_without_lesion"] is not None else ""))
    rt.print(translate("cli", "FROC sensitivity per scan at {froc}").format(froc=froc))
    rt.print(translate("cli", "One finding per detected lesion: {value:.2f}; median centre error {value2} "
                              "mm; median |diameter error| {pct}; median |volume error| {pct2}; lesions "
                              "meeting the size goal {value3:.2f}").format(
                 value=m['one_finding_per_lesion'], value2=m['median_centre_error_mm'],
                 pct=_pct(m['median_abs_diameter_error']), pct2=_pct(m['median_abs_volume_error']),
                 value3=m['meets_size_goal']))
    rt.print(translate("cli", "By lesion diameter:"))
    for band in m["by_diameter"]:
        rt.print("  " + _band(band))
    bins = "; ".join(f"{b['bin'][0]:.1f}-{b['bin'][1]:.1f}: {b['findings']} findings, mean "
                     f"{b['mean_score']:.2f}, true {b['true_share']:.2f}"
                     for b in report.calibration["bins"])
    rt.print(translate("cli", "Calibration (ECE {value}): {bins}").format(value=m['calibration_ece'], bins=bins))
