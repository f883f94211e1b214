"""models evaluate: an imaging model's lesion-level metrics on a labelled folder (docs/imaging-ai.md)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime

if TYPE_CHECKING:  # imported in the handlers: 'models'/'score' must not load imaging (issue 16)
    from clinic_app.services.model_evaluation import EvaluationReport


def register(msub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = msub.add_parser(
        "evaluate", help="measure an imaging model on DICOM series with known lesions "
                         "(radiologist or admin)",
        description="Runs the installed model through the app's pipeline on every series the "
                    "truth file names and prints a per-lesion table, sensitivity at 0.5/1/2/4 "
                    "false positives per scan (FROC), size errors, score calibration and the "
                    "execution provider. Truth format: docs/imaging-ai.md.")
    p.add_argument("id", help="installed imaging model id (see 'models list')")
    p.add_argument("--data", type=Path, required=True, metavar="DIR",
                   help="folder of DICOM series (searched recursively)")
    p.add_argument("--truth", type=Path, metavar="FILE",
                   help="truth file (default DIR/truth.json, else the DICOM SEG objects in DIR)")
    p.add_argument("--write-manifest", type=Path, metavar="PACKAGE_DIR",
                   help="write the metrics into this package's manifest (then re-pin or re-sign)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
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
        command = ("clinic-app models evaluate " + shlex.quote(rt.args.id) + " --data "
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
        rt.print(f"Metrics written to {rt.args.write_manifest / 'manifest.json'} (manifest "
                 f"{written[:12]}); re-pin or re-sign it (models/SIGNING.md).")
    return 0


def _pct(value: object) -> str:
    return f"{value * 100:+.0f} %" if isinstance(value, float) else "-"


def _print(rt: Runtime, report: EvaluationReport) -> None:
    from clinic_app.cli.analysis import DEMO_BANNER

    if report.demo:
        rt.print(DEMO_BANNER)
    m = report.metrics
    rt.print(f"{report.model_id} {report.version} on {report.provider}: {m['scans']} scans "
             f"({m['scans_without_lesion']} without a lesion), {m['lesions']} lesions, "
             f"{report.seconds:.1f} s")
    if report.description:
        rt.print(f"Data: {report.description}")
    rows = [{"scan": r.scan_id, "lesion": r.lesion_id, "diameter": f"{r.diameter_mm:.1f} mm",
             "slices": f"{r.slice_mm:g} mm" if r.slice_mm else "-", "findings": r.findings,
             "score": f"{r.score:.2f}" if r.score is not None else "-",
             "centre error": f"{r.centre_error_mm:.1f} mm" if r.centre_error_mm is not None else "-",
             "diameter error": _pct(r.diameter_error), "volume error": _pct(r.volume_error),
             "goal": "yes" if r.meets_goal else "no"} for r in report.rows]
    rt.table(rows, ["scan", "lesion", "diameter", "slices", "findings", "score", "centre error",
                    "diameter error", "volume error", "goal"])
    froc = ", ".join(f"{rate} FP: {s:.2f}" for rate, s in m["froc_sensitivity"].items())
    rt.print(f"Sensitivity at the flag threshold {m['sensitivity']:.2f}, "
             f"false positives per scan {m['false_positives_per_scan']:.2f}"
             + (f" ({m['false_positives_per_scan_without_lesion']:.2f} on scans without a lesion)"
                if m["false_positives_per_scan_without_lesion"] is not None else ""))
    rt.print(f"FROC sensitivity per scan at {froc}")
    rt.print(f"One finding per detected lesion: {m['one_finding_per_lesion']:.2f}; median centre "
             f"error {m['median_centre_error_mm']} mm; median |diameter error| "
             f"{_pct(m['median_abs_diameter_error'])}; median |volume error| "
             f"{_pct(m['median_abs_volume_error'])}; lesions meeting the size goal "
             f"{m['meets_size_goal']:.2f}")
    bins = "; ".join(f"{b['bin'][0]:.1f}-{b['bin'][1]:.1f}: {b['findings']} findings, mean "
                     f"{b['mean_score']:.2f}, true {b['true_share']:.2f}"
                     for b in report.calibration["bins"])
    rt.print(f"Calibration (ECE {m['calibration_ece']}): {bins}")
