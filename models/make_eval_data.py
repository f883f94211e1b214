"""Write held-out evaluation sets for ``clinic-app models evaluate`` (DICOM + truth.json).

    .venv/bin/python models/make_eval_data.py ct-synthetic OUT [--scans 24] [--seed 20261206]
                                              [--diameter 5 30] [--lung-only] [--on-slice]
    .venv/bin/python models/make_eval_data.py ct-real OUT [--on-slice]
    .venv/bin/python models/make_eval_data.py cr-real OUT
    .venv/bin/python models/make_eval_data.py cr-synthetic OUT [--scans 24]
    .venv/bin/python models/make_eval_data.py cr-real-single OUT [--contrast 0.08]

* ``ct-synthetic``: phantom CT series (``dicom_series.write_ct_series``) with slices of
  0.6, 1, 1.25, 2.5, 3 and 5 mm in turn, 0.65–0.9 mm pixels, lung vessels, and 0–2
  lesions of 5–30 mm each (every fourth scan has none: false positives per scan);
  ``--diameter`` sets the size range and ``--lung-only`` makes every lesion a lung
  nodule (the general sets hold few small ones). Seeds differ from every training seed.
* Lesion centres lie anywhere between two slices (uniformly). A real lesion does not
  centre on a slice; a set whose lesions all do shows every small lesion at its widest
  on thick slices, and so favours a size estimate that assumes so. ``--on-slice`` writes
  the sets made before 2026-12-07 (every centre on a slice) again.
* ``ct-real``: real CT anatomy from the sample images pydicom and pydicom-data ship
  (single axial slices of head, neck, abdomen), each repeated along the slice axis
  into a stack (2.5 mm apart, fresh noise per slice) so a per-slice model sees the real
  image on every slice; each background is written twice: without a lesion (false
  positives on real anatomy) and with 1–2 synthetic lesions inserted at known places.
* ``cr-real``: the real radiographs packages ship: pydicom-data's chest RG1 (no pixel
  spacing: centres and diameters in pixels) and deid-data's lateral cat thorax (DX,
  0.14 mm), each as is and with two nodules inserted in lung, and pydicom-data's distal
  tibia RG3 as is (false positives on real non-chest anatomy).
* ``cr-real-single``: RG1 and the cat as is and with one nodule per image at each of 14
  lung sites (a whole-image classifier reports one finding per image, so cr-real's pairs
  cap its sensitivity at one half). No image here is ever used to train the CR demo.

Truth (format in docs/imaging-ai.md): lesion centres in patient LPS mm computed from the
written ImagePositionPatient/PixelSpacing, diameters as the equivalent sphere, volume of
the true ellipsoid. A DEMO evaluation: synthetic lesions say nothing about real ones.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
from eval_radiographs import cr_real, cr_real_single
from pydicom.data import get_testdata_file

from clinic_app.core.inference.eval_data import TRUTH_FORMAT
from clinic_app.synthetic.dicom_series import uid, write_cr, write_ct_series
from clinic_app.synthetic.lesions import (
    CtLesion,
    ct_volume,
    insert_ct_lesions,
    plant_ct_lesions,
    random_ct_lesions,
)
from clinic_app.synthetic.radiograph_nodules import plant_cr_nodules, random_cr_nodules

SLICE_MM = (0.6, 1.0, 1.25, 2.5, 3.0, 5.0)
REAL_CT = ("693_UNCR.dcm", "explicit_VR-UN.dcm", "CT_small.dcm", "bad_sequence.dcm",
           "J2K_pixelrep_mismatch.dcm")
_CENTRES = {False: "centres anywhere between slices", True: "centres on a slice"}


def _truth(lesion: CtLesion, origin: tuple[float, float, float],
           spacing: tuple[float, float, float], n: int) -> dict:
    k, j, i = lesion.centre
    return {"id": f"L{n + 1}",
            "centre_mm": [round(origin[0] + i * spacing[2], 3), round(origin[1] + j * spacing[1], 3),
                          round(origin[2] + k * spacing[0], 3)],
            "diameter_mm": round(lesion.diameter_mm, 3),
            "volume_ml": round(4.0 / 3.0 * math.pi * float(np.prod(lesion.radii_mm)) / 1000.0, 4)}


def _off_slice(lesions: list[CtLesion], rng: np.random.Generator | None) -> list[CtLesion]:
    """``lesions`` with their centres moved up to half a slice along the slice axis."""
    if rng is None:
        return lesions
    return [replace(les, centre=(les.centre[0] + float(rng.uniform(-0.5, 0.5)), *les.centre[1:]))
            for les in lesions]


def _inside(lesions: list[CtLesion], slices: int, step: float) -> list[CtLesion]:
    """Lesions whose whole extent lies within the stack (a cut-off lesion has no true size)."""
    return [les for les in lesions
            if les.centre[0] - (les.radii_mm[0] + 1.0) / step >= 0
            and les.centre[0] + (les.radii_mm[0] + 1.0) / step <= slices - 1]


def ct_synthetic(out: Path, scans: int, seed: int, *,
                 diameter_mm: tuple[float, float] = (5.0, 30.0), lung_only: bool = False,
                 on_slice: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    shift = None if on_slice else rng
    study = uid(seed, "eval-study")
    entries = []
    for n in range(scans):
        step = SLICE_MM[n % len(SLICE_MM)]
        px = float(rng.uniform(0.65, 0.9))
        rows = 384
        slices = max(14, math.ceil(70.0 / step) + 1)
        z0 = float(rng.uniform(60.0, 260.0))
        origin = (-rows * px / 2.0, -rows * px / 2.0, z0)
        series_uid = uid(seed, "eval-series", n)
        folder = out / f"ct{n + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        scan_seed = seed + 1000 + n
        written = write_ct_series(folder, slices=slices, rows=rows, cols=rows, pixel_mm=px,
                                  spacing_mm=step, slice_thickness_mm=step, origin=origin,
                                  study_uid=study, series_uid=series_uid, series_number=n + 1,
                                  seed=scan_seed)
        spacing = (step, px, px)
        lesions: list[CtLesion] = []
        if n % 4 != 3:
            sites = ct_volume(slices, rows, rows, pixel_mm=px, spacing_mm=step, z0_mm=0.0,
                              z_extent_mm=max(slices * step, 1), noise_hu=0.0, seed=scan_seed)
            lesions = _inside(_off_slice(random_ct_lesions(
                sites, spacing, rng, 6, diameter_mm=diameter_mm, keep_apart_mm=45.0,
                lung_only=lung_only), shift), slices, step)[:2]
        plant_ct_lesions(written.paths, lesions, rng, vessels=40)
        entries.append({"series_uid": series_uid, "slice_mm": step,
                        "lesions": [_truth(les, origin, spacing, m) for m, les in enumerate(lesions)]})
    return {"format": TRUTH_FORMAT,
            "description": (f"{scans} synthetic phantom CT series (seed {seed}), slices "
                            f"{'/'.join(f'{s:g}' for s in SLICE_MM)} mm in turn, 0.65-0.9 mm "
                            f"pixels, 0-2 {'lung nodules' if lung_only else 'lesions'} of "
                            f"{diameter_mm[0]:g}-{diameter_mm[1]:g} mm each, "
                            f"{_CENTRES[on_slice]}, every 4th scan without a lesion "
                            "(models/make_eval_data.py ct-synthetic)"),
            "scans": entries}


def _real_stack(name: str, slices: int, step: float, rng: np.random.Generator
                ) -> tuple[pydicom.Dataset, np.ndarray]:
    ds = pydicom.dcmread(get_testdata_file(name))
    hu = ds.pixel_array.astype(np.float32) * float(ds.get("RescaleSlope", 1)) + float(
        ds.get("RescaleIntercept", 0))
    stack = np.repeat(hu[None], slices, axis=0)
    stack += rng.normal(0.0, 6.0, stack.shape).astype(np.float32)
    return ds, stack


def _write_stack(template: pydicom.Dataset, hu: np.ndarray, folder: Path, series_uid: str,
                 study_uid: str, step: float, number: int) -> tuple[float, float, float]:
    folder.mkdir(parents=True, exist_ok=True)
    px = [float(v) for v in template.PixelSpacing]
    origin = (-hu.shape[2] * px[1] / 2.0, -hu.shape[1] * px[0] / 2.0, 0.0)
    for k in range(hu.shape[0]):
        ds = copy.deepcopy(template)
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
        ds.SOPInstanceUID = uid(series_uid, "sop", k)
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.SeriesNumber, ds.InstanceNumber = number, k + 1
        ds.Modality = "CT"
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [origin[0], origin[1], origin[2] + k * step]
        ds.SliceThickness = step
        for tag in ("SpacingBetweenSlices", "SliceLocation", "GantryDetectorTilt"):
            if tag in ds:
                delattr(ds, tag)
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
        stored = np.clip(np.rint(hu[k] + 1024), -32768, 32767).astype(np.int16)
        ds.PixelData = stored.tobytes()
        ds.save_as(folder / f"IM{k:04d}.dcm", enforce_file_format=True)
    return origin


def ct_real(out: Path, seed: int, slices: int = 24, step: float = 2.5, *,
            on_slice: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    shift = None if on_slice else rng
    study = uid(seed, "real-study")
    entries = []
    for n, name in enumerate(REAL_CT):
        for with_lesions in (False, True):
            template, hu = _real_stack(name, slices, step, rng)
            px = float(template.PixelSpacing[0])
            spacing = (step, px, float(template.PixelSpacing[1]))
            lesions: list[CtLesion] = []
            if with_lesions:
                lesions = _inside(_off_slice(random_ct_lesions(
                    hu, spacing, rng, 6, diameter_mm=(6.0, 24.0), keep_apart_mm=30.0), shift),
                    slices, step)[:2]
                insert_ct_lesions(hu, spacing, lesions, rng)
            series_uid = uid(seed, "real-series", n, with_lesions)
            origin = _write_stack(template, hu, out / f"real{n + 1:02d}{'L' if with_lesions else 'N'}",
                                  series_uid, study, step, 2 * n + int(with_lesions) + 1)
            entries.append({"series_uid": series_uid, "background": name,
                            "lesions": [_truth(les, origin, spacing, m)
                                        for m, les in enumerate(lesions)]})
    return {"format": TRUTH_FORMAT,
            "description": (f"real CT backgrounds ({', '.join(REAL_CT)} from pydicom / "
                            f"pydicom-data), each slice repeated into {slices} slices "
                            f"{step:g} mm apart with fresh noise; written without and with 1-2 "
                            f"synthetic lesions of 6-24 mm, {_CENTRES[on_slice]} "
                            "(models/make_eval_data.py ct-real)"),
            "scans": entries}


def cr_synthetic(out: Path, scans: int, seed: int) -> dict:
    """Phantom chest CRs 2000² (0.139 mm detector pixels), MONOCHROME1/2 in turn, every
    other one with 1-2 nodules of 10-30 mm; centres in image-plane mm."""
    rng = np.random.default_rng(seed)
    entries = []
    for n in range(scans):
        path = out / f"cr{n + 1:02d}" / "CR.dcm"
        path.parent.mkdir(parents=True, exist_ok=True)
        written = write_cr(path, rows=2000, cols=2000, seed=seed + 100 + n,
                           photometric="MONOCHROME1" if n % 2 else "MONOCHROME2")
        pixel_mm = 0.139
        nodules = []
        if n % 2 == 0:
            att = np.asarray(written.extra["attenuation"], dtype=np.float32)
            nodules = random_cr_nodules(att, pixel_mm, rng, int(rng.integers(1, 3)))
        plant_cr_nodules(written.paths[0], nodules, rng)
        entries.append({"series_uid": written.series_uid, "lesions": [
            {"id": f"N{m + 1}", "centre_mm": [round(nd.centre[1] * pixel_mm, 2),
                                              round(nd.centre[0] * pixel_mm, 2)],
             "diameter_mm": round(2 * nd.radius_mm, 2)} for m, nd in enumerate(nodules)]})
    return {"format": TRUTH_FORMAT,
            "description": (f"{scans} synthetic phantom chest CRs 2000² (seed {seed}), "
                            "MONOCHROME1/2 in turn, every other one with 1-2 nodules "
                            "(models/make_eval_data.py cr-synthetic)"),
            "scans": entries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=["ct-synthetic", "ct-real", "cr-real", "cr-synthetic",
                                        "cr-real-single"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scans", type=int, default=24, help="ct-synthetic: number of series")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--diameter", type=float, nargs=2, default=(5.0, 30.0),
                        metavar=("MIN", "MAX"), help="ct-synthetic: lesion diameters (mm)")
    parser.add_argument("--lung-only", action="store_true",
                        help="ct-synthetic: every lesion a lung nodule")
    parser.add_argument("--on-slice", action="store_true",
                        help="ct-synthetic, ct-real: every lesion centred on a slice (the sets "
                             "made before 2026-12-07)")
    parser.add_argument("--contrast", type=float, default=0.08,
                        help="cr-real-single: the nodules' attenuation (fraction of the range)")
    args = parser.parse_args()
    if not 0.0 < args.diameter[0] <= args.diameter[1]:
        parser.error(f"--diameter needs 0 < MIN <= MAX (mm), not {args.diameter[0]:g} "
                     f"{args.diameter[1]:g}")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.set == "ct-synthetic":
        truth = ct_synthetic(args.out, args.scans, args.seed,
                             diameter_mm=(args.diameter[0], args.diameter[1]), lung_only=args.lung_only,
                             on_slice=args.on_slice)
    elif args.set == "cr-synthetic":
        truth = cr_synthetic(args.out, args.scans, args.seed)
    elif args.set == "ct-real":
        truth = ct_real(args.out, args.seed, on_slice=args.on_slice)
    elif args.set == "cr-real-single":
        truth = cr_real_single(args.out, args.seed, args.contrast)
    else:
        truth = cr_real(args.out, args.seed)
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    lesions = sum(len(s["lesions"]) for s in truth["scans"])
    print(f"wrote {len(truth['scans'])} series, {lesions} lesions, to {args.out}")


if __name__ == "__main__":
    main()
