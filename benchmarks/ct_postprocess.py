"""CT findings post-processing: the shipped manifest's rules beside a baseline, same maps.

    .venv/bin/python models/make_eval_data.py ct-real DIR_REAL
    .venv/bin/python models/make_eval_data.py ct-synthetic DIR_SYN --seed 20261207
    .venv/bin/python benchmarks/ct_postprocess.py DIR_REAL DIR_SYN [--model ct-hyperdense-lesion-demo]
        [--before OLD_PACKAGE_DIR]

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

A third row, ``s2/12``, is the shipped outputs with the single-section rule before 1.4.0
(a lesion one slice alone shows is sized with any offset within half a step, s²/12,
even when its neighbouring slices were measured empty): the 1.4.0 sizing change alone,
on the same maps, in the same run.

A fourth, ``attached``, is the shipped outputs with the half-maximum sections not opened
(``halfmax.OPENING_FRACTION`` 0: a vessel running into a nodule is measured and centred
with it, as before 2026-12-07): what detaching vessels costs and buys, in the same run.

A fifth, ``mask peak``, is the shipped outputs with the half-maximum peak read once, from
the model's mask (``halfmax.PEAK_ROUNDS`` 1, as before 1.7.1), not again from the
lesion's own widest sections: what that costs and buys, in the same run.

A sixth, ``map gaps``, is the shipped outputs with pieces joined across a gap only where
the model's map still responds there (``gap_bridge.IMAGE_SHARE`` infinite, as before
1.7.2), not where the image alone shows the lesion: what the image witness costs and buys.

``--before DIR`` adds a third row per data set: an earlier version of the package (for
instance ``git show`` of its files into a folder) with its own network and its own
``outputs``, post-processed by today's code, so a retrained model is compared with the
one it replaces in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic_app.core.inference import gap_bridge, halfmax, lesion3d  # noqa: E402
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

#: The rule set sized with the pre-1.4.0 single-section offset (see the module doc).
UNBOUNDED = "s2/12"
#: The rule set whose half-maximum sections keep what is attached to them.
ATTACHED = "attached"
#: The rule set whose half-maximum peak is read from the model's mask only.
MASK_PEAK = "mask peak"
#: The rule set that joins pieces across a gap on the model's witness only.
MAP_GAPS = "map gaps"
KEYS = ("lesions", "sensitivity", "false_positives_per_scan",
        "false_positives_per_scan_without_lesion", "one_finding_per_lesion", "meets_size_goal",
        "median_centre_error_mm", "median_abs_diameter_error", "median_abs_volume_error")


def _evaluate(folder: Path, spec, runner, rules: dict[str, OutputSpec]
              ) -> dict[str, tuple[dict, float]]:
    """Run the network once per scan; score its maps under every set of rules."""
    if not rules:
        return {}
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
            bounded, opening = lesion3d.bounded_offset2, halfmax.OPENING_FRACTION
            rounds, share = halfmax.PEAK_ROUNDS, gap_bridge.IMAGE_SHARE
            if name == UNBOUNDED:
                lesion3d.bounded_offset2 = lambda section_r2, step: step * step / 12.0
            if name == ATTACHED:
                halfmax.OPENING_FRACTION = 0.0
            if name == MASK_PEAK:
                halfmax.PEAK_ROUNDS = 1
            if name == MAP_GAPS:
                gap_bridge.IMAGE_SHARE = float("inf")
            start = time.perf_counter()
            try:
                found = segmentation_findings(
                    maps, out.labels, dict(out.thresholds), out.mask_threshold,
                    out.min_size_mm, geometry, out.size_threshold, out.max_elongation,
                    image=volume.voxels if out.size_method == "half_maximum" else None,
                    max_continuation=out.max_continuation)
            finally:
                lesion3d.bounded_offset2, halfmax.OPENING_FRACTION = bounded, opening
                halfmax.PEAK_ROUNDS, gap_bridge.IMAGE_SHARE = rounds, share
            seconds[name] += time.perf_counter() - start
            scans[name].append(ScanResult(f"scan {n + 1}", lesions, tuple(found),
                                          volume.spacing[0]))
    return {name: (summary(s, lesion_rows(s)), seconds[name]) for name, s in scans.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="+", help="folders with truth.json")
    parser.add_argument("--model", default="ct-hyperdense-lesion-demo")
    parser.add_argument("--before", type=Path, help="an earlier version's package folder")
    args = parser.parse_args()
    spec, runner, version = _load(ROOT / "models" / args.model)
    before = _load(args.before) if args.before else None
    shipped = spec.output
    baseline = replace(shipped, max_elongation=None, size_method="map", max_continuation=None)
    print(f"{args.model} {version}: shipped max_elongation="
          f"{shipped.max_elongation}, size_method={shipped.size_method}; baseline = the same "
          "outputs without the vessel test, sized on the map (the 1.1.0 rules, no continuation test)")
    print(f"{'data':<14}{'rules':<10}" + "".join(f"{k[:14]:>15}" for k in KEYS) + "   post s")
    if before is not None:
        print(f"before = {args.before.name} {before[2]}: its own network and outputs")
    for folder in args.data:
        results = _evaluate(folder, spec, runner,
                            {"baseline": baseline, UNBOUNDED: shipped, ATTACHED: shipped,
                             MASK_PEAK: shipped, MAP_GAPS: shipped, "shipped": shipped})
        if before is not None:
            results = {"before": _evaluate(folder, before[0], before[1],
                                           {"before": before[0].output})["before"], **results}
        for name, (metrics, seconds) in results.items():
            print(f"{folder.name:<14}{name:<10}" + "".join(
                f"{'' if metrics[k] is None else metrics[k]:>15}" for k in KEYS)
                  + f"   {seconds:6.2f}")
        if before is not None:
            old = results["before"][0]
            for key in ("sensitivity", "meets_size_goal", "false_positives_per_scan"):
                if old[key]:
                    print(f"{folder.name:<14}ratio {key} shipped/before: "
                          f"{results['shipped'][0][key] / old[key]:.2f}")
        base, new = results["baseline"][0], results["shipped"][0]
        if base["false_positives_per_scan"]:
            print(f"{folder.name:<14}ratio FP/scan shipped/baseline: "
                  f"{new['false_positives_per_scan'] / base['false_positives_per_scan']:.2f}")
        if base["meets_size_goal"]:
            print(f"{folder.name:<14}ratio size goal met shipped/baseline: "
                  f"{new['meets_size_goal'] / base['meets_size_goal']:.2f}")
        print(f"{folder.name:<14}ratio post-processing time shipped/{ATTACHED}: "
              f"{results['shipped'][1] / results[ATTACHED][1]:.2f}")
        print(f"{folder.name:<14}ratio post-processing time shipped/{MASK_PEAK}: "
              f"{results['shipped'][1] / results[MASK_PEAK][1]:.2f}")
        if results[MASK_PEAK][0]["meets_size_goal"]:
            print(f"{folder.name:<14}ratio size goal met shipped/{MASK_PEAK}: "
                  f"{new['meets_size_goal'] / results[MASK_PEAK][0]['meets_size_goal']:.2f}")
        print(f"{folder.name:<14}ratio post-processing time shipped/{MAP_GAPS}: "
              f"{results['shipped'][1] / results[MAP_GAPS][1]:.2f}")
        if results[MAP_GAPS][0]["meets_size_goal"]:
            print(f"{folder.name:<14}ratio size goal met shipped/{MAP_GAPS}: "
                  f"{new['meets_size_goal'] / results[MAP_GAPS][0]['meets_size_goal']:.2f}")
        if results[UNBOUNDED][0]["meets_size_goal"]:
            print(f"{folder.name:<14}ratio size goal met shipped/{UNBOUNDED}: "
                  f"{new['meets_size_goal'] / results[UNBOUNDED][0]['meets_size_goal']:.2f}")


def _load(folder: Path) -> tuple:
    """(spec, runner, version) of the package in ``folder`` (unsigned allowed)."""
    contents = read_package(folder, TrustStore(), TrustPolicy(allow_unsigned=True))
    spec = parse_imaging_spec(contents.manifest)
    return spec, ModelRunner(create_session(contents), spec), contents.manifest.version


if __name__ == "__main__":
    main()
