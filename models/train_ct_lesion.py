"""Train, evaluate and package the demo CT hyperdense-lesion / nodule detector.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python models/train_ct_lesion.py [--steps 2400] [--out models/ct-hyperdense-lesion-demo]

What it learns: per axial slice, read with the images 4 mm below and above it (2.5D), the
probability that a pixel belongs to a focal lesion denser than its surroundings: solid
lung nodules and hyperdense soft-tissue lesions, 4–30 mm, on anatomy-like phantoms
(``clinic_app.core.imaging.phantoms``) with lung vessels, correlated noise and tissue
texture (``clinic_app.synthetic.lesions``). Vessel cross-sections, organs that start
between two slices, and what the network itself flagged wrongly on fresh volumes (hard
examples, ``ct_hard_examples``) are the negatives it must learn to ignore.

Data, seeds and the network are fixed, so a rerun on the same torch version reproduces
the model. Evaluation runs the exported ONNX through the app's own pipeline
(``imaging_pipeline.analyse``) on held-out phantom volumes at a different pixel size and
slice spacing from any training case, and the lesion-level metrics go in the manifest.
A DEMO: synthetic data says nothing about real patients.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from clinic_app.core.inference.findings import Geometry
from clinic_app.core.inference.imaging_pipeline import analyse
from clinic_app.core.tasks import NEVER_CANCELLED, no_progress

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ct_hard_examples import hard_examples
from ct_neighbours import with_neighbours
from ct_training_data import CROP, Recipe, candidate_crops, make_case, training_crops
from ct_unet import LesionUNet
from imaging_training import DetectionTally, export_onnx, runner_for, spec_from, train_and_package

HERE = Path(__file__).resolve().parent
LABEL = "hyperdense focal lesion"
SEED = 20261128

def _vector(name: str, z_mm: float, expected: float, tolerance: float, *,
            slice_mm: float = 1.25, **shape: dict) -> dict:
    """A test vector on 9 phantom slices (512², 0.7 mm) around ``z_mm``."""
    return {"name": name,
            "inputs": {"rows": 512, "cols": 512, "pixel_mm": 0.7, "slices": 9,
                       "slice_mm": slice_mm,
                       "phantom": {"kind": "ct_body_slice", "z_mm": z_mm, "seed": 1}, **shape},
            "expected": {"max_probability": expected}, "tolerance": tolerance,
            "source": "models/train_ct_lesion.py (behavioural check on a phantom)"}


MANIFEST: dict = {
    "manifest_version": 1,
    "id": "ct-hyperdense-lesion-demo",
    "name": "CT focal hyperdense lesion / nodule detector (DEMO, synthetic data)",
    "version": "1.7.2",
    "task": "image-segmentation",
    "description": (
        "Per-slice segmentation of focal lesions denser than their surroundings (solid lung "
        "nodules, hyperdense soft-tissue lesions, 5-30 mm) on axial CT, each slice read with "
        "the images 4 mm below and above it (2.5D); on series with slices at most 3 mm "
        "apart, a second look at twice the scale adds small isolated nodules. Trained only on "
        "synthetic phantoms by models/train_ct_lesion.py to exercise the imaging pipeline "
        "end to end. NOT FOR CLINICAL USE."),
    "authors": ["clinic-app imaging AI team (models/train_ct_lesion.py)"],
    "license": "Proprietary demo model; synthetic training data generated in-house.",
    "changelog": [{"version": "1.0.0", "date": "2026-11-29",
                   "changes": "First demo release: 4-level U-Net, synthetic phantoms."},
                  {"version": "1.1.0", "date": "2026-12-06",
                   "changes": "Same network. Findings formed in 3D (pieces joined across a "
                              "missed slice, one finding per lesion); sizes from the section "
                              "profile measured at probability 0.7 (size_threshold); metrics "
                              "from clinic-app models evaluate."},
                  {"version": "1.2.0", "date": "2026-12-06",
                   "changes": "Same network. Tube-shaped findings (principal-axis ratio above "
                              "2.5, e.g. enhancing vessels) are dropped as not focal "
                              "(max_elongation); sizes from each lesion's half-maximum "
                              "boundary in the image (size_method); metrics from "
                              "clinic-app models evaluate."},
                  {"version": "1.3.0", "date": "2026-12-06",
                   "changes": "Same network. Findings whose bright structure the image still "
                              "shows one lesion diameter beyond them (enhancing vessels and "
                              "bowel the model caught on a few slices) are dropped as not "
                              "focal (max_continuation); hysteresis levels chosen on a "
                              "separate tuning set: flagged from probability 0.4, grown "
                              "down to 0.3 (were 0.5 and 0.4); metrics from clinic-app "
                              "models evaluate."},
                  {"version": "1.4.0", "date": "2026-12-06",
                   "changes": "Same network. A lesion one slice alone shows at its "
                              "half-maximum, with both neighbouring slices measured empty, is "
                              "sized with the slice offsets those empty neighbours still allow "
                              "(was: any offset, +17 % in volume for an 8.6 mm lesion on 5 mm "
                              "slices); levels unchanged (checked again on the tuning sets); "
                              "metrics from clinic-app models evaluate."},
                  {"version": "1.5.0", "date": "2026-12-06",
                   "changes": "New network, 2.5D: each slice is read with the images 4 mm "
                              "below and above it, so a small nodule that ends is told from a "
                              "vessel that runs on; trained with small nodules on slices "
                              "0.6-5 mm apart, lung-vessel negatives and the phantom's "
                              "abdomen-to-thorax change; flagged from 0.5, grown down to 0.4 "
                              "(chosen on the tuning sets by a rule fixed beforehand); a "
                              "series without slice spacing is refused; metrics from "
                              "clinic-app models evaluate."},
                  {"version": "1.6.0", "date": "2026-12-06",
                   "changes": "Same network and levels, retrained: every third training "
                              "volume holds 4-12 mm lung nodules, then twice the network's "
                              "own false positives and missed nodules on fresh volumes were "
                              "cropped back into training (hard examples); small lung "
                              "nodules are found where 1.5.0 missed them, with fewer false "
                              "positives; each slice of a finding is sized against its own "
                              "surroundings (a lesion at a lung base was measured against "
                              "lung on every slice); metrics from clinic-app models "
                              "evaluate."},
                  {"version": "1.7.0", "date": "2026-12-07",
                   "changes": "Same network and levels, with a second look for small "
                              "lesions: on series with slices at most 3 mm apart the network "
                              "runs again at twice the scale (0.5 mm pixels, images 2 mm "
                              "above and below), and its findings under 9 mm that the first "
                              "pass did not make are added where the image shows an "
                              "isolated, round blob (not touching a vessel at least half its "
                              "width, the chest wall or the series' edge); 5-6 mm lung "
                              "nodules the first pass scored near 0 are found; analysis of "
                              "such a series costs about 5 times the network time; the 1.5.0 "
                              "changelog entry is labelled 1.5.0 again; metrics from "
                              "clinic-app models evaluate."},
                  {"version": "1.7.1", "date": "2026-12-07",
                   "changes": "Same network, levels and second look. A small lesion is "
                              "measured at half of its own peak, read from the lesion's "
                              "widest sections, where the wider map around it pulled the "
                              "peak down (a 5.6 mm lesion with a soft edge measured +53 % in "
                              "volume); sections too alike to place a lesion's ends are "
                              "summed instead of fitted (three equal ones gave a 1.7 m size); "
                              "the second look reads crops around image blobs (the same "
                              "findings, a quarter of the time); metrics from clinic-app "
                              "models evaluate."},
                  {"version": "1.7.2", "date": "2026-12-07",
                   "changes": "Same network, levels and second look. Where the network "
                              "returns nothing on a slice through a lesion, the pieces on "
                              "either side are one finding if the image shows the lesion "
                              "there (a 28.6 mm nodule was reported as two findings); "
                              "metrics from clinic-app models evaluate, on lesions centred "
                              "anywhere between slices rather than always on one."}],
    "demo": True,
    "intended_use": {
        "population": "None: demonstration on synthetic phantoms only. Not for clinical use.",
        "modality": ["CT"],
        "body_part": ["CHEST", "ABDOMEN"],
        "contraindications": ["any clinical decision", "non-axial reconstructions",
                              "slices thicker than 5 mm"],
        "references": [{"citation": "Ronneberger O, Fischer P, Brox T. U-Net: convolutional "
                                    "networks for biomedical image segmentation. MICCAI 2015.",
                        "doi": "10.1007/978-3-319-24574-4_28"}],
    },
    # Warm-up runs on a 64x64 slice (runtime.warmup_shape: pad_to_multiple 8 below).
    "runtime": {"model_file": "model.onnx", "opset": 17, "fp16_allowed": False, "max_batch": 8,
                "warmup": True},
    "inputs": {
        "tensors": [{"name": "image", "dtype": "float32", "shape": ["N", 1, "H", "W"],
                     "semantics": "axial slices at 1 mm, HU windowed to [-1000, 600] -> [0, 1]"}],
        "image": {
            "series_selection": {"modality": ["CT"], "orientation": "axial", "min_slices": 3,
                                 "pixel_spacing_mm": [0.3, 1.5],
                                 "slice_thickness_mm": [0.5, 5.0]},
            "preprocessing": {"spacing_mm": [1.0, 1.0], "intensity": "hu",
                              "window": {"center": -200, "width": 1600},
                              "normalisation": {"method": "none"}, "channel_layout": "NCHW",
                              "channels": 1, "pad_to_multiple": 8},
            "limits": {"max_slices": 2000, "max_slice_pixels": 1024 * 1024,
                       "max_voxels": 2000 * 512 * 512},
            "inference": {"mode": "slice"},
        },
    },
    "outputs": {
        "tensors": [{"name": "probability", "dtype": "float32", "shape": ["N", 1, "H", "W"],
                     "semantics": "per-pixel probability of a focal hyperdense lesion"}],
        "primary": "probability",
        "labels": [LABEL],
        # Hysteresis: a finding is flagged when its peak reaches 0.5 and grows down to 0.4;
        # chosen for 1.5.0 on tuning sets (ct-synthetic seed 20263001, 48 scans; ct-real
        # seed 20263002) separate from the held-out sets, by a rule fixed before the
        # candidates were measured (docs/imaging-ai.md, "CT demo 1.5.0"); 1.6.0 was chosen
        # at these levels on new tuning sets ("CT demo 1.6.0").
        "thresholds": {LABEL: 0.5},
        "heatmap": "probability",
        "activation": "none",
        "mask_threshold": 0.4,
        "min_size_mm": 4.0,
        # Trained with pos_weight 4, the model's boundary lies above its detection level.
        "size_threshold": 0.7,
        # Vessels are tubes: lesions are at most ~1.4:1 (clinic_app/synthetic/lesions.py).
        "max_elongation": 2.5,
        # Sizes at each lesion's half-maximum in HU, not at a fixed probability.
        "size_method": "half_maximum",
        # A focal lesion ends within one diameter; a vessel the model caught in part runs on
        # (focal3d). Tuning set: true lesions <= 0.01, real-anatomy false positives >= 0.75.
        "max_continuation": 0.5,
        # 1.7.0: small lesions the network misses at 1 mm are looked for again at 0.5 mm
        # and kept only as isolated round blobs (second_look; chosen on tuning sets by a
        # rule fixed beforehand, docs/imaging-ai.md "CT demo 1.7.0").
        "second_look": {"scale": 2.0, "max_slice_mm": 3.0, "max_diameter_mm": 9.0,
                        "max_elongation": 1.5},
    },
    # Each vector is a stack of 9 slices, so the network's 4 mm neighbours are real
    # images: a lesion is a ball that ends, a vessel a tube through every slice.
    "test_vectors": [
        _vector("abdomen phantom without a lesion (9 slices 1.25 mm apart)", 120, 0.0, 0.3),
        _vector("12 mm liver lesion 150 HU above the liver", 120, 1.0, 0.5,
                ball={"centre": [241, 170], "radius_mm": 6, "value": 150, "edge_mm": 0.7}),
        _vector("the same lesion with a sharp margin", 120, 1.0, 0.5,
                ball={"centre": [241, 170], "radius_mm": 6, "value": 150}),
        _vector("12 mm solid nodule in the left lung", 300, 1.0, 0.5,
                ball={"centre": [262, 155], "radius_mm": 6, "value": 880, "edge_mm": 0.5}),
        _vector("a 4 mm vessel through every slice of the left lung (2.5 mm apart)", 300, 0.0,
                0.3, slice_mm=2.5,
                disc={"centre": [262, 155], "radius_mm": 2, "value": 880, "edge_mm": 0.5}),
    ],
}


# -- data -----------------------------------------------------------------------------------
#: Which training data ``build`` makes (``ct_training_data.Recipe`` describes each);
#: 1.5.0 is candidate C with 4 mm neighbours, 1.6.0 candidate L.
RECIPE = Recipe.L
#: Recipes K and L: each hard crop is shown this many times beside the first crops, since
#: there are a few hundred of them against thousands of easy ones.
HARD_REPEATS = 3
#: Hard-example passes per recipe: each runs the network trained so far on fresh volumes,
#: adds what it gets wrong to the crops, and trains on (``ct_hard_examples``).
HARD_PASSES = {Recipe.K: 1, Recipe.L: 2}
#: 2.5D input (None: one slice per item, as before 1.5.0): the network sees the image this
#: many mm below, at and above each slice (manifest ``preprocessing.neighbour_slices_mm``),
#: so it can tell whether a bright cross-section continues (a vessel) or ends (a nodule).
NEIGHBOUR_MM: float | None = 4.0


def manifest() -> dict:
    """``MANIFEST``, with the 2.5D input declared when ``NEIGHBOUR_MM`` is set."""
    return MANIFEST if NEIGHBOUR_MM is None else with_neighbours(MANIFEST, NEIGHBOUR_MM)


def train(model: LesionUNet, x: np.ndarray, y: np.ndarray, steps: int, rng: np.random.Generator,
          batch: int = 16, max_lr: float = 3e-3) -> None:
    opt = torch.optim.AdamW(model.parameters(), lr=max_lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=steps)
    bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(4.0))
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    model.train()
    start = time.perf_counter()
    for step in range(steps):
        idx = torch.from_numpy(rng.integers(0, len(xt), batch))
        xb, yb = xt[idx], yt[idx]
        if rng.random() < 0.5:
            xb, yb = xb.flip(-1), yb.flip(-1)
        if rng.random() < 0.5:
            xb, yb = xb.flip(-2), yb.flip(-2)
        if xb.shape[1] > 1 and rng.random() < 0.5:
            xb = xb.flip(1)  # 2.5D: head-to-feet is as likely as feet-to-head
        logits = model.logits(xb)
        prob = torch.sigmoid(logits)
        dice = 1 - (2 * (prob * yb).sum() + 1) / (prob.sum() + yb.sum() + 1)
        loss = bce(logits, yb) + dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step:5d}  loss {loss.item():.4f}  {time.perf_counter() - start:.0f}s",
                  flush=True)
    model.eval()


def _numpy_net(model: LesionUNet) -> Callable[[np.ndarray], np.ndarray]:
    """``model`` in inference mode as a function of numpy batches (``ct_hard_examples``)."""
    def run(batch: np.ndarray) -> np.ndarray:
        model.eval()
        with torch.no_grad():
            return model(torch.from_numpy(batch))[:, 0].numpy()
    return run


# -- evaluation through the app's pipeline ----------------------------------------------------
def evaluate(doc: dict, model_bytes: bytes, rng: np.random.Generator, cases: int) -> dict:
    """Lesion-level detection on held-out volumes: 0.7 mm pixels, 1.25 mm slices, 40 slices."""
    spec, runner = runner_for(doc, model_bytes)
    tally = DetectionTally()
    seconds = 0.0
    for _ in range(cases):
        vol, spacing, placed, _mask = make_case(rng, 40, rows=512, pixel_mm=0.7,
                                                spacing_mm=1.25, lesions=3)
        affine = np.diag([spacing[2], spacing[1], spacing[0], 1.0])
        start = time.perf_counter()
        result = analyse(vol, Geometry(affine, vol.shape), spec, runner, no_progress,
                         NEVER_CANCELLED)
        seconds += time.perf_counter() - start
        truths = [(np.array([les.centre[2] * spacing[2], les.centre[1] * spacing[1],
                             les.centre[0] * spacing[0]]), les.diameter_mm / 2,
                   4 / 3 * np.pi * float(np.prod(les.radii_mm)) / 1000) for les in placed]
        tally.add(result.findings, truths)
    metrics = tally.metrics()
    metrics["seconds_per_40_slices_cpu"] = round(seconds / cases, 2)
    return metrics


def build(args: argparse.Namespace, rng: np.random.Generator) -> tuple[bytes, dict]:
    """Generate the training crops, train and export; returns (ONNX bytes, training record)."""
    spec = spec_from(manifest())
    start = time.perf_counter()
    if RECIPE == Recipe.ORIGINAL:
        x, y = training_crops(rng, spec, args.cases, NEIGHBOUR_MM)
    else:
        x, y = candidate_crops(rng, spec, args.cases, RECIPE, NEIGHBOUR_MM)
    print(f"{len(x)} training crops of {CROP}² in {time.perf_counter() - start:.0f}s "
          f"({y.mean() * 100:.2f}% lesion pixels)", flush=True)
    model = LesionUNet(channels=x.shape[1])
    train(model, x, y, args.steps, rng)
    extra: dict = {}
    for n in range(HARD_PASSES.get(RECIPE, 0)):
        hard = hard_examples(_numpy_net(model), rng, spec, args.cases // 2, NEIGHBOUR_MM)
        print(f"hard examples, pass {n + 1}: {hard.false_positive_sections} false-positive "
              f"and {hard.missed_sections} missed sections in {hard.volumes} volumes", flush=True)
        x = np.concatenate([x, *[hard.x] * HARD_REPEATS])
        y = np.concatenate([y, *[hard.y] * HARD_REPEATS])
        train(model, x, y, args.steps // 3, rng, max_lr=1e-3)
        extra[f"hard_pass_{n + 1}"] = {"false_positive_sections": hard.false_positive_sections,
                                       "missed_sections": hard.missed_sections}
    model_bytes = export_onnx(model, torch.zeros(1, x.shape[1], 64, 64), ["probability"],
                              {"image": {0: "N", 2: "H", 3: "W"},
                               "probability": {0: "N", 2: "H", 3: "W"}})
    record = {"steps": args.steps, "crops": len(x), "seed": SEED}
    if NEIGHBOUR_MM is not None:
        record["neighbour_slices_mm"] = NEIGHBOUR_MM
    return model_bytes, record if RECIPE == Recipe.ORIGINAL else {**record, "recipe": str(RECIPE), **extra}


def main() -> None:
    train_and_package(
        manifest(), description=__doc__.splitlines()[0], seed=SEED, steps=2400,
        data_option=("cases", 200, "training volumes (8 slices each, plus the 2.5D neighbours)"),
        eval_cases=12,
        build=build, evaluate=evaluate, out=HERE / MANIFEST["id"],
        data=lambda args: (
            f"{args.eval_cases} held-out synthetic volumes (40 axial slices, 512x512, 0.7 mm "
            f"pixels, 1.25 mm spacing, 3 lesions each; seed {SEED + 1}); training used other "
            "seeds, 0.6-0.95 mm pixels, "
            f"{'1-3' if RECIPE == Recipe.ORIGINAL else '0.6-5'} mm spacing"),
        method=("ONNX model run through the app pipeline; a lesion is found when a flagged "
                "finding's centre lies within max(radius, 5 mm) of the lesion centre; "
                "volume ratio = finding volume / true ellipsoid volume"))


if __name__ == "__main__":
    main()
