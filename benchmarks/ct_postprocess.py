"""CT findings post-processing: the shipped manifest's rules beside a baseline, same maps.

    .venv/bin/python models/make_eval_data.py ct-real DIR_REAL
    .venv/bin/python models/make_eval_data.py ct-synthetic DIR_SYN --seed 20261207
    .venv/bin/python benchmarks/ct_postprocess.py DIR_REAL DIR_SYN [--model ct-hyperdense-lesion-demo]

The network runs once per scan (the app's volume loader and ``run_slices``); its
probability maps are then turned into findings twice, through the same
``segmentation_findings`` the app uses: once with the package's ``outputs`` as shipped
(``max_elongation``, ``size_method`` included) and once as the baseline, the same outputs
without the vessel test and sized on the map at ``size_threshold`` (the 1.1.0 rules,
at the package's levels; no continuation test either). Both are scored by
``core/inference/evaluation`` (the rules of ``clinic-app models evaluate``), so the
difference is the post-processing alone. Prints per data set: lesions, sensitivity at
the flag, false positives per scan (all scans / scans without a lesion), one finding per
detected lesion, share meeting the size goal, and the post-processing time of each.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic_app.core.inference.eval_data import index_folder, load_series, read_truth  # noqa: E402
from clinic_app.core.inference.evaluation import ScanResult, lesion_rows, summary  # noqa: E402
from clinic_app.core.inference.findings import segmentation_findings  # noqa: E402
from clinic_app.core.inference.imaging_pipeline import geometry_of  # noqa: E402
from clinic_app.core.inference.imaging_run import ModelRunner, StageTimes, run_slices  # noqa: E402
from clinic_app.core.inference.imaging_spec import OutputSpec, parse_imaging_spec  # noqa: E402
from clinic_app.core.inference.package import TrustPolicy, TrustStore, read_package  # noqa: E402
from clinic_app.core.inference.preprocess import spacing_from_affine  # noqa: E402
from clinic_app.core.inference.runtime import create_session  # noqa: E402
from clinic_app.core.tasks import NEVER_CANCELLED, no_progress  # noqa: E402

KEYS = ("lesions", "sensitivity", "false_positives_per_scan",
        "false_positives_per_scan_without_lesion", "one_finding_per_lesion", "meets_size_goal",
        "median_abs_diameter_error", "median_abs_volume_error")


def _evaluate(folder: Path, spec, runner, rules: dict[str, OutputSpec]
              ) -> dict[str, tuple[dict, float]]:
    """Run the network once per scan; score its maps under every set of rules."""
    series, _ = index_folder(folder)
    truth = read_truth(folder / "truth.json")
    scans: dict[str, list[ScanResult]] = {name: [] for name in rules}
    seconds = dict.fromkeys(rules, 0.0)
    for n, (uid, lesions) in enumerate(truth.scans.items()):
        volume = load_series(series[uid])
        geometry = geometry_of(volume)
        maps = run_slices(volume.voxels, spacing_from_affine(geometry.affine), spec, runner,
                          StageTimes(), no_progress, NEVER_CANCELLED,
                          invert=volume.display.invert)
        for name, out in rules.items():
            start = time.perf_counter()
            found = segmentation_findings(
                maps, out.labels, dict(out.thresholds), out.mask_threshold, out.min_size_mm,
                geometry, out.size_threshold, out.max_elongation,
                image=volume.voxels if out.size_method == "half_maximum" else None,
                max_continuation=out.max_continuation)
            seconds[name] += time.perf_counter() - start
            scans[name].append(ScanResult(f"scan {n + 1}", lesions, tuple(found),
                                          volume.spacing[0]))
    return {name: (summary(s, lesion_rows(s)), seconds[name]) for name, s in scans.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="+", help="folders with truth.json")
    parser.add_argument("--model", default="ct-hyperdense-lesion-demo")
    args = parser.parse_args()
    contents = read_package(ROOT / "models" / args.model, TrustStore(),
                            TrustPolicy(allow_unsigned=True))
    spec = parse_imaging_spec(contents.manifest)
    runner = ModelRunner(create_session(contents), spec)
    shipped = spec.output
    baseline = replace(shipped, max_elongation=None, size_method="map", max_continuation=None)
    print(f"{args.model} {contents.manifest.version}: shipped max_elongation="
          f"{shipped.max_elongation}, size_method={shipped.size_method}; baseline = the same "
          "outputs without the vessel test, sized on the map (the 1.1.0 rules, no continuation test)")
    print(f"{'data':<14}{'rules':<10}" + "".join(f"{k[:14]:>15}" for k in KEYS) + "   post s")
    for folder in args.data:
        results = _evaluate(folder, spec, runner, {"baseline": baseline, "shipped": shipped})
        for name, (metrics, seconds) in results.items():
            print(f"{folder.name:<14}{name:<10}" + "".join(
                f"{'' if metrics[k] is None else metrics[k]:>15}" for k in KEYS)
                  + f"   {seconds:6.2f}")
        base, new = results["baseline"][0], results["shipped"][0]
        if base["false_positives_per_scan"]:
            print(f"{folder.name:<14}ratio FP/scan shipped/baseline: "
                  f"{new['false_positives_per_scan'] / base['false_positives_per_scan']:.2f}")
        if base["meets_size_goal"]:
            print(f"{folder.name:<14}ratio size goal met shipped/baseline: "
                  f"{new['meets_size_goal'] / base['meets_size_goal']:.2f}")


if __name__ == "__main__":
    main()
