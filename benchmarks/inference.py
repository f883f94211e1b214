"""Imaging inference: network time vs the whole pipeline, on real-size architectures.

    .venv/bin/pip install -e '.[train]'        # torch (CPU build), only to export the nets
    .venv/bin/python benchmarks/inference.py [--quick] [--keep-data] [--reuse] [--repeat 3]
                                             [--ct-baseline PKG]

Builds, with random weights and at bench time, a DenseNet-121 (224², 14 labels, CAM
output: the common chest X-ray classifier shape) and a 3D U-Net shaped like MONAI's spleen
model (channels 16-32-64-128-256, strides 2, two residual units per level) on 96³ patches,
exports both to ONNX and installs them as model packages. It writes a 300-slice 512² CT
and a 2000² CR as DICOM, imports them into a fresh encrypted store, and runs:

* model only: ``session.run`` on one input of the network's shape (median of N runs);
* the whole pipeline: ``services.analysis.analyze`` = read encrypted blobs + decode +
  volume (IO), preprocessing, the network, postprocessing (maps back to the image grid,
  findings, heatmaps) and the encrypted store write; each case in its own process so
  its peak memory (max RSS) is its own.

It prints each case's split and the share of everything that is not the network, against
the target: pre/post-processing + IO ≤ 20% of the total on CPU. The shipped demo models
(CT per-slice U-Net, CR classifier) run on the same data as the app's own workloads.
Random weights make the networks' *outputs* meaningless (the 3D U-Net's last bias is set
to favour background so postprocessing sees a realistic small foreground); the timing and
memory of every stage are real. ``--ct-baseline PKG`` adds an earlier CT demo package
(e.g. ``git archive <rev> models/ct-hyperdense-lesion-demo``) as its own case on the same
study, so a new release is measured beside the one it replaces in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from inference_nets import densenet121, densenet_manifest, export, unet3d_spleen, unet_manifest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "inference"
PASSWORD = "bench-radiologist-1"
ADMIN_PASSWORD = "bench-admin-pass-1"

#: ``CLINIC_TREE=DIR`` measures another checkout's ``clinic_app`` (a baseline tree) on the
#: same data and store: run both with ``--reuse`` to compare before/after in one session.
sys.path.insert(0, os.environ.get("CLINIC_TREE", str(ROOT)))


# -- data and store --------------------------------------------------------------------------
BASELINE_CT = "ct-demo-baseline"


def install_baseline(site: Path, package: Path) -> None:
    """A copy of an earlier CT demo package under its own id (unsigned; the bench store allows it)."""
    from clinic_app.core.inference.packaging import write_package

    doc = json.loads((package / "manifest.json").read_text())
    files = {name: ((package / name).read_bytes(), entry["role"])
             for name, entry in doc.pop("files").items()}
    doc.pop("signature", None)
    doc["id"] = BASELINE_CT
    write_package(site / BASELINE_CT, doc, files)


def prepare(site: Path, store_dir: Path, quick: bool, only: str = "all") -> dict:
    from clinic_app.config import Settings
    from clinic_app.core.inference.packaging import write_package
    from clinic_app.core.security.roles import Role
    from clinic_app.services import Services
    from clinic_app.services.store_init import NewAccount
    from clinic_app.synthetic.dicom_series import write_cr, write_ct_series
    from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions

    t0 = time.perf_counter()
    nets: list[tuple[str, object, tuple[int, ...], list[str], dict]] = []
    if only in ("all", "cr"):
        nets.append(("bench-densenet121", densenet121(), (1, 3, 224, 224), ["probability", "cam"],
                     densenet_manifest()))
    if only in ("all", "ct"):
        nets.append(("bench-unet3d-spleen", unet3d_spleen(), (1, 1, 96, 96, 96), ["logits"],
                     unet_manifest()))
    for pid, net, shape, outs, doc in nets:
        onnx_bytes = export(net, shape, outs, DATA / f"{pid}.onnx")
        import onnx

        doc["runtime"]["opset"] = next(o.version for o in onnx.load_from_string(onnx_bytes).opset_import
                                       if o.domain in ("", "ai.onnx"))
        write_package(site / pid, doc, {"model.onnx": (onnx_bytes, "model")})
    print(f"exported {len(nets)} network(s) in {time.perf_counter() - t0:.0f} s", flush=True)
    slices = (120 if quick else 300) if only != "cr" else 16
    t0 = time.perf_counter()
    ct = write_ct_series(DATA / "ct", slices=slices, rows=512, cols=512, pixel_mm=0.7,
                         spacing_mm=1.25, seed=11)
    plant_ct_lesions(ct.paths, [CtLesion((slices * 0.7, 300.0, 330.0), (6.0, 6.0, 6.0), 160.0),
                                CtLesion((slices * 0.3, 240.0, 170.0), (8.0, 8.0, 8.0), 180.0)],
                     np.random.default_rng(1))
    cr = write_cr(DATA / "cr" / "cr.dcm", rows=2000, cols=2000, seed=5)
    print(f"wrote CT {slices}x512² and CR 2000² in {time.perf_counter() - t0:.0f} s", flush=True)
    services = Services(Settings(store_dir=store_dir, models_dir=site, allow_unsigned_models=True))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, ADMIN_PASSWORD),
                             [NewAccount("rad", Role.RADIOLOGIST, PASSWORD + "-initial")])
    sess = services.auth.login("rad", PASSWORD + "-initial")
    services.auth.change_password(sess, PASSWORD + "-initial", PASSWORD)
    sess = services.auth.login("rad", PASSWORD)
    t0 = time.perf_counter()
    services.imaging.import_dicom(sess, [DATA / "ct", DATA / "cr"])
    print(f"imported into the encrypted store in {time.perf_counter() - t0:.0f} s", flush=True)
    services.close()
    return {"ct": ct.study_uid, "cr": cr.study_uid, "slices": slices}


# -- providers ---------------------------------------------------------------------------------
def restrict_providers() -> None:
    """``BENCH_PROVIDERS=A,B`` (set by ``--providers``): sessions may use only these (CPU is
    always kept last), so CUDA and TensorRT are each measured alone on a GPU machine.

    Patches the runtime's view of the installed providers, in this process only; the
    product has no such switch (it takes TensorRT, then CUDA, then the CPU).
    """
    wanted = [p for p in os.environ.get("BENCH_PROVIDERS", "").split(",") if p]
    if not wanted:
        return
    from clinic_app.core.inference import runtime
    from clinic_app.core.inference.providers import installed_providers

    have = installed_providers()
    keep = tuple(p for p in have if p in wanted or p == "CPUExecutionProvider")
    runtime.installed_providers = lambda: keep  # type: ignore[assignment]


# -- one case in its own process ----------------------------------------------------------------
def run_case(store_dir: Path, site: Path, study: str, model: str) -> dict:
    from clinic_app.config import Settings
    from clinic_app.services import Services

    restrict_providers()
    services = Services(Settings(store_dir=store_dir, models_dir=site, allow_unsigned_models=True))
    sess = services.auth.login("rad", PASSWORD)
    before = _memory_mib()
    start = time.perf_counter()
    (cold,) = services.analysis.analyze(sess, study, model)
    wall = time.perf_counter() - start
    # Measured: the second analysis in the process (the desktop app's steady state); the
    # first pays one-off costs (session build, first OpenCV/numpy calls) shown as "cold".
    (report,) = services.analysis.analyze(sess, study, model)
    peak = _memory_mib()
    services.close()
    return {"timing": report.timing, "cold_total_s": cold.timing["total_s"], "wall_s": wall,
            "provider": report.provider, "findings": len(report.findings),
            "flagged": report.flagged, "peak_rss_mib": peak["VmHWM"],
            "rss_before_mib": before["VmRSS"]}


def _memory_mib() -> dict[str, float]:
    """This process's current and peak resident memory (Linux /proc; ru_maxrss would
    include the parent's peak, which survives fork and exec)."""
    out: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = float(value.split()[0]) / 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out = {"VmRSS": float("nan"), "VmHWM": peak}
    return out


def model_only(site: Path, model: str, shape: tuple[int, ...], runs: int) -> tuple[float, float, str]:
    """Median seconds of one ``session.run`` on a random input of the network's shape, and of
    the same input through the pipeline's ``ModelRunner`` (IO binding with pinned staging
    where the provider is CUDA or TensorRT; plain run + output checks on the CPU), and the
    provider that ran it. One untimed run of each first (warm-up, besides the session's own)."""
    from clinic_app.core.inference.imaging_run import ModelRunner
    from clinic_app.core.inference.imaging_spec import parse_imaging_spec
    from clinic_app.core.inference.package import TrustPolicy, TrustStore, read_package
    from clinic_app.core.inference.runtime import RuntimeOptions, create_session

    restrict_providers()
    contents = read_package(site / model, TrustStore(), TrustPolicy(allow_unsigned=True))
    session = create_session(contents, RuntimeOptions())
    runner = ModelRunner(session, parse_imaging_spec(contents.manifest))
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    return (median_seconds(lambda: session.run({"image": x}), runs),
            median_seconds(lambda: runner(x), runs), session.provider)


def median_seconds(call: Callable[[], object], runs: int,
                   clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of ``call`` over ``runs`` runs, after one untimed run; ``clock``
    ``time.process_time`` counts CPU seconds of all the process's threads instead of wall
    time (far steadier on a machine other jobs load)."""
    call()
    times = []
    for _ in range(runs):
        t0 = clock()
        call()
        times.append(clock() - t0)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="120-slice CT, fewer repeats")
    parser.add_argument("--keep-data", action="store_true", help="keep benchmarks/data/inference")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the data and store kept by a previous --keep-data run")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per pipeline case; the one with the median total is shown")
    parser.add_argument("--only", choices=("all", "cr", "ct"), default="all",
                        help="run only the radiograph (cr) or only the CT cases")
    parser.add_argument("--providers", default="",
                        help="comma-separated onnxruntime providers the sessions may use "
                             "(CPU is always kept), e.g. CUDAExecutionProvider")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--ct-baseline", type=Path,
                        help="an earlier CT demo package folder, run beside the shipped one")
    parser.add_argument("--ct-baseline-tree", type=Path,
                        help="an earlier checkout whose clinic_app runs the shipped CT model "
                             "beside this tree's (same package, same study)")
    parser.add_argument("--study", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.providers:
        os.environ["BENCH_PROVIDERS"] = args.providers  # the case processes inherit it
    site, store_dir = DATA / "site-models", DATA / "store"
    if args.case:
        print(json.dumps(run_case(store_dir, site, args.study, args.case)))
        return
    import onnxruntime as ort

    if args.reuse and (DATA / "studies.json").exists():
        studies = json.loads((DATA / "studies.json").read_text())
    else:
        if DATA.exists():
            shutil.rmtree(DATA)
        DATA.mkdir(parents=True)
        studies = prepare(site, store_dir, args.quick, args.only)
        (DATA / "studies.json").write_text(json.dumps(studies))
    if args.ct_baseline:
        install_baseline(site, args.ct_baseline)
    print(f"onnxruntime {ort.__version__}, providers available {ort.get_available_providers()}, "
          f"{os.cpu_count()} CPU(s)\n")

    print("model only (session.run, one input, median):")
    reps = 5 if args.quick else 20
    only: dict[str, tuple[float, float, str]] = {}
    if args.only in ("all", "cr"):
        only["bench-densenet121"] = model_only(site, "bench-densenet121", (1, 3, 224, 224), reps)
    if args.only in ("all", "ct"):
        only["bench-unet3d-spleen"] = model_only(site, "bench-unet3d-spleen", (1, 1, 96, 96, 96),
                                                 2 if args.quick else 5)
    for name, (secs, runner_secs, provider) in only.items():
        print(f"  {name:24s} {secs * 1000:9.1f} ms   (through ModelRunner {runner_secs * 1000:.1f} ms; "
              f"{provider})")

    ct = f"CT {studies['slices']}x512²"
    cases: list[tuple[str, str, str, Path | None]] = [
        ("CR 2000²", "cr", "bench-densenet121", None), (ct, "ct", "bench-unet3d-spleen", None),
        (ct, "ct", "ct-hyperdense-lesion-demo", None), ("CR 2000²", "cr", "cr-nodule-demo", None)]
    if args.ct_baseline:
        cases.insert(2, (ct, "ct", BASELINE_CT, None))
    if args.ct_baseline_tree:
        cases.insert(2, (f"{ct} (baseline tree)", "ct", "ct-hyperdense-lesion-demo",
                         args.ct_baseline_tree))
    cases = [c for c in cases if args.only == "all" or c[1] == args.only]
    #: Shipped demo models are shown for their absolute cost; the 20% target is about the
    #: real-size architectures (a 2 ms demo network makes any pipeline look like overhead).
    targeted = {"bench-densenet121", "bench-unet3d-spleen", "ct-hyperdense-lesion-demo",
                BASELINE_CT}
    print("\nwhole pipeline (services.analysis.analyze; each case in a fresh process):")
    header = (f"{'case':34s} {'io':>7s} {'pre':>7s} {'net':>8s} {'post':>7s} {'store':>7s} "
              f"{'total':>8s} {'not-net':>8s} {'peak RSS':>9s}")
    print(header)
    results = []
    for label, key, model, tree in cases:
        runs = []
        env = {**os.environ, "CLINIC_TREE": str(tree.resolve())} if tree else None
        for _ in range(max(1, args.repeat)):
            out = subprocess.run([sys.executable, __file__, "--case", model, "--study",
                                  studies[key]], capture_output=True, text=True, check=False,
                                 env=env)
            if out.returncode != 0:
                print(f"{label} / {model}: failed: {out.stderr.strip().splitlines()[-1:]}")
                break
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        if not runs:
            continue
        r = sorted(runs, key=lambda x: x["timing"]["total_s"])[len(runs) // 2]
        t = r["timing"]
        total = t["total_s"]
        overhead = (t["io_s"] + t["preprocess_s"] + t["postprocess_s"] + t["store_s"]) / total
        results.append((label, model, overhead, r))
        print(f"{label + ' / ' + model:34.34s} {t['io_s'] * 1e3:7.1f} {t['preprocess_s'] * 1e3:7.1f} "
              f"{t['inference_s'] * 1e3:8.1f} {t['postprocess_s'] * 1e3:7.1f} {t['store_s'] * 1e3:7.1f} "
              f"{total * 1e3:8.1f} {overhead * 100:7.1f}% {r['peak_rss_mib']:7.0f} MiB"
              f"   (cold {r['cold_total_s']:.2f} s; {r['rss_before_mib']:.0f} MiB before)")
    print("\n(milliseconds, second analysis in a warm process, median of the runs; io = encrypted "
          "blobs → decoded volume; net = inside session.run; store = rows + heatmap blob + "
          "fsync + commit; peak RSS = the case process's high-water mark; cold = the first "
          "analysis in the process)")
    print("target: pre/post-processing + IO <= 20% of the total on CPU")
    for label, model, overhead, r in results:
        verdict = ("MET" if overhead <= 0.20 else "NOT MET") if model in targeted else \
            "n/a (demo network of a few ms)"
        print(f"  {label} / {model}: {overhead * 100:.1f}% -> {verdict} "
              f"(provider {r['provider']}, {r['flagged']}/{r['findings']} flagged, "
              f"analyze() wall {r['wall_s']:.2f} s incl. session load)")
    print_ratios(results)
    if not args.keep_data:
        shutil.rmtree(DATA)


def print_ratios(results: list[tuple[str, str, float, dict]]) -> None:
    """The shipped CT model against each baseline case on the same study: stage by stage."""
    shipped = [r for label, model, _, r in results
               if model == "ct-hyperdense-lesion-demo" and "baseline" not in label]
    bases = [(label, r) for label, model, _, r in results
             if model == BASELINE_CT or "baseline" in label]
    if not shipped or not bases:
        return
    new = shipped[0]["timing"]
    print("\nshipped CT model, this tree / baseline (lower is faster):")
    for label, r in bases:
        old = r["timing"]
        parts = ", ".join(f"{k.removesuffix('_s')} {new[k] / old[k]:.2f}x"
                          for k in ("preprocess_s", "inference_s", "postprocess_s", "total_s")
                          if old.get(k))
        print(f"  vs {label}: {parts}; peak RSS "
              f"{shipped[0]['peak_rss_mib']:.0f} vs {r['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
