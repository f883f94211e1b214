"""Where a radiograph analysis spends its time outside the network, step by step.

    .venv/bin/python benchmarks/inference.py --only cr --keep-data   # builds the data once
    .venv/bin/python benchmarks/cr_profile.py [--model bench-densenet121] [--runs 15]

On the 2000² CR and store that ``inference.py --keep-data`` leaves, it times each step of
the CR path on its own, warm, in one process (median of ``--runs``), beside the network
on the same input, and the whole ``analyze`` call's stage split. Its figures explain the
share ``inference.py`` reports: which steps are fixed I/O (reading and decrypting the
8 MB blob, decoding, durable writes) and which are computation on the pixels.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
#: ``CLINIC_TREE=DIR``: profile another checkout's ``clinic_app`` (a before/after).
sys.path.insert(0, os.environ.get("CLINIC_TREE", str(ROOT)))


def main() -> None:
    import inference as bench
    import pydicom

    from clinic_app.config import Settings
    from clinic_app.core.imaging import index
    from clinic_app.core.inference.findings import classification_findings, map_grid
    from clinic_app.core.inference.heatmaps import encode_bundle
    from clinic_app.core.inference.imaging_pipeline import check_pixels, geometry_of
    from clinic_app.core.inference.imaging_run import ModelRunner, normalise_heatmap, to_probabilities
    from clinic_app.core.inference.imaging_spec import parse_imaging_spec
    from clinic_app.core.inference.preprocess import normalize, resize_slices, restore_slices
    from clinic_app.services import Services

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="bench-densenet121")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    studies = json.loads((bench.DATA / "studies.json").read_text())
    services = Services(Settings(store_dir=bench.DATA / "store",
                                 models_dir=bench.DATA / "site-models", allow_unsigned_models=True))
    sess = services.auth.login("rad", bench.PASSWORD)
    detail = services.imaging.ungated_study_detail(sess, studies["cr"])
    assert detail is not None, "run inference.py --only cr --keep-data first"
    series_uid = detail.series[0].series_uid
    assert sess.clinical is not None and sess.blobs is not None
    (inst,) = index.series_instances(sess.clinical, series_uid)
    blobs = sess.blobs
    raw_bytes = blobs.get(index.BLOB_KIND, inst.blob_id)
    ds = pydicom.dcmread(io.BytesIO(raw_bytes))
    stored = ds.pixel_array
    volume = services.imaging.ungated_series_volume(sess, series_uid)
    image = volume.voxels
    pkg = services.models.ungated_scan(sess).find(args.model)
    assert pkg is not None
    spec = parse_imaging_spec(pkg.manifest)
    runner = ModelRunner(services.models.ungated_catalog(sess).session(args.model), spec)
    pre = spec.preprocess
    size = pre.target_size or (224, 224)
    shape = (int(size[0]), int(size[1]))
    small = resize_slices(image, shape)
    batch = normalize(small.copy(), pre)
    outputs = runner(np.repeat(batch[:, None], pre.channels, axis=1))
    geometry = geometry_of(volume)
    out = spec.output

    def post() -> list:
        scores = to_probabilities(outputs[out.probabilities.name], out)[0]
        assert out.heatmap is not None, "a CAM model (the benchmark's DenseNet-121)"
        heat = outputs[out.heatmap.name][0]
        cam = restore_slices(normalise_heatmap(heat), heat.shape[1:], map_grid(*image.shape[1:]))
        return classification_findings(scores.astype(np.float64), cam, out.labels,
                                       dict(out.thresholds), geometry, spec.heatmap_kind)

    found = post()
    r = args.runs
    steps = [
        ("io", "read + AES-GCM decrypt the 8 MB blob", lambda: blobs.get(index.BLOB_KIND, inst.blob_id)),
        ("io", "pydicom parse + pixel array (unused-bit mask)",
         lambda: pydicom.dcmread(io.BytesIO(raw_bytes)).pixel_array),
        ("io", "modality values as float32", lambda: stored.astype(np.float32)),
        ("io", "whole volume load (the above + planning)",
         lambda: services.imaging.ungated_series_volume(sess, series_uid)),
        ("pre", "finite-pixel check", lambda: check_pixels(image)),
        ("pre", f"INTER_AREA resize to {shape[0]}x{shape[1]}", lambda: resize_slices(image, shape)),
        ("pre", "percentile normalisation + channels",
         lambda: np.repeat(normalize(small.copy(), pre)[:, None], pre.channels, axis=1)),
        ("net", "network (ModelRunner)", lambda: runner(np.repeat(batch[:, None], pre.channels, axis=1))),
        ("post", "scores, CAMs to the map grid, findings", post),
        ("store", "encode the heatmap bundle", lambda: encode_bundle([f.heatmap for f in found])),
    ]
    print(f"{args.model} on a 2000² CR, median of {r} warm runs each: wall ms, CPU ms (all "
          "threads), each / the network's")
    net = cpu_net = 0.0
    rows = []
    for stage, what, fn in steps:
        ms = bench.median_seconds(fn, r) * 1000
        cpu = bench.median_seconds(fn, r, time.process_time) * 1000
        rows.append((stage, what, ms, cpu))
        if stage == "net":
            net, cpu_net = ms, cpu
    for stage, what, ms, cpu in rows:
        print(f"  {stage:5s} {what:48s} {ms:8.2f} {cpu:8.2f}   {ms / net:5.2f}x {cpu / cpu_net:5.2f}x")
    outside = [(ms, cpu) for stage, _w, ms, cpu in rows if stage != "net" and "whole" not in _w]
    wall_out, cpu_out = sum(m for m, _ in outside), sum(c for _, c in outside)
    print(f"  steps outside the network: {wall_out:.1f} ms wall ({wall_out / (wall_out + net):.1%} "
          f"of steps + network), {cpu_out:.1f} ms CPU ({cpu_out / (cpu_out + cpu_net):.1%})")
    runs = []
    for _ in range(max(3, r // 3)):
        (report,) = services.analysis.analyze(sess, studies["cr"], args.model)
        runs.append(report.timing)
    t = {k: statistics.median(x[k] for x in runs) * 1000 for k in runs[0]}
    share = (t["total_s"] - t["inference_s"]) / t["total_s"]
    print("analyze() stage split, median (ms): " + ", ".join(
        f"{k[:-2]} {v:.1f}" for k, v in t.items()) + f"; not network {share * 100:.1f}%")
    services.close()


if __name__ == "__main__":
    main()
