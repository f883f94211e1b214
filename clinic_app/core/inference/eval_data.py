"""An evaluation data set on disk: DICOM series in a folder plus a truth file.

The truth is a JSON document (``truth.json`` in the folder unless named otherwise)::

    {"format": "clinic-app-lesion-truth/1",
     "description": "what the data is (goes into the model card)",
     "scans": [
       {"series_uid": "1.2.826.0.1.3680043.8.498.1",
        "lesions": [{"id": "L1", "centre_mm": [x, y, z], "diameter_mm": 20.0,
                     "volume_ml": 4.19}]},
       {"series_uid": "1.2.826.0.1.3680043.8.498.2", "lesions": []}]}

``centre_mm`` is in the frame the model's findings use: patient LPS millimetres for
CT (the DICOM patient coordinate system), image-plane millimetres ``[x, y]`` from the
centre of the first pixel for radiographs. ``diameter_mm`` is the equivalent sphere
(CT) or circle (radiograph) diameter; ``volume_ml`` is optional. A scan with no lesions
counts false positives. Every series named must be in the folder; series in the folder
that the truth does not name are ignored (and counted).

A folder without this file may carry its truth as DICOM SEG objects instead (seg_truth.py).

Series are read straight from the files (no store): each file's header is parsed and
validated as on import, the series' largest stack is decoded by the same volume builder
the viewer and the analysis use.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from clinic_app.core.imaging.geometry import plan_series
from clinic_app.core.imaging.header_types import ImageAttributes, InstanceHeader
from clinic_app.core.imaging.headers import parse_header
from clinic_app.core.imaging.index import StoredInstance
from clinic_app.core.imaging.volume import Volume, build_volume
from clinic_app.core.inference.evaluation import Lesion
from clinic_app.errors import HeaderError, InvalidInput

TRUTH_FORMAT = "clinic-app-lesion-truth/1"


@dataclass(frozen=True)
class Truth:
    description: str
    scans: dict[str, tuple[Lesion, ...]]


def read_truth(path: Path) -> Truth:
    """Parse and check the truth file; every problem is named with where it is."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"No truth file at {path} (see docs/imaging-ai.md, "
                           "'Evaluating a model').") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"The truth file {path.name} cannot be read: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != TRUTH_FORMAT:
        raise InvalidInput(f"The truth file {path.name} must be a JSON object with "
                           f'"format": "{TRUTH_FORMAT}".')
    scans_doc = doc.get("scans")
    if not isinstance(scans_doc, list) or not scans_doc:
        raise InvalidInput(f'The truth file {path.name} has no "scans" list.')
    scans: dict[str, tuple[Lesion, ...]] = {}
    for n, scan in enumerate(scans_doc):
        where = f"scans[{n}]"
        if not isinstance(scan, dict) or not isinstance(scan.get("series_uid"), str):
            raise InvalidInput(f'{path.name}: {where} needs a "series_uid" string.')
        if scan["series_uid"] in scans:
            raise InvalidInput(f"{path.name}: {where} repeats series {scan['series_uid']}.")
        lesions = scan.get("lesions", [])
        if not isinstance(lesions, list):
            raise InvalidInput(f'{path.name}: {where}.lesions must be a list.')
        scans[scan["series_uid"]] = tuple(_lesion(les, f"{path.name}: {where}.lesions[{m}]", m)
                                          for m, les in enumerate(lesions))
    return Truth(str(doc.get("description", "")), scans)


def _lesion(doc: object, where: str, m: int) -> Lesion:
    if not isinstance(doc, dict):
        raise InvalidInput(f"{where} must be an object.")
    centre = doc.get("centre_mm")
    if (not isinstance(centre, list) or len(centre) not in (2, 3)
            or not all(_finite(v) for v in centre)):
        raise InvalidInput(f"{where}.centre_mm must be 2 or 3 finite numbers (mm).")
    diameter = doc.get("diameter_mm")
    if not _finite(diameter) or diameter <= 0:  # type: ignore[operator]
        raise InvalidInput(f"{where}.diameter_mm must be a positive number (mm).")
    volume = doc.get("volume_ml")
    if volume is not None and (not _finite(volume) or volume <= 0):
        raise InvalidInput(f"{where}.volume_ml must be a positive number (mL) or absent.")
    return Lesion(str(doc.get("id", f"L{m + 1}")), tuple(float(v) for v in centre),
                  float(diameter), None if volume is None else float(volume))  # type: ignore[arg-type]


def _finite(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() != ".json":
            yield path


def index_folder(folder: Path) -> tuple[dict[str, list[tuple[Path, InstanceHeader]]], int]:
    """Headers of the DICOM files under ``folder`` by series, and how many files were not DICOM."""
    series: dict[str, list[tuple[Path, InstanceHeader]]] = {}
    skipped = 0
    for path in _files(folder):
        try:
            header = parse_header(path.read_bytes())
        except HeaderError:
            skipped += 1
            continue
        series.setdefault(header.series_uid, []).append((path, header))
    return series, skipped


def load_series(members: list[tuple[Path, InstanceHeader]]) -> Volume:
    """The largest stack of one series, decoded from its files."""
    names = [f.name for f in fields(ImageAttributes)]
    instances = [StoredInstance(**{n: getattr(h, n) for n in names}, id=i, blob_id=str(p))
                 for i, (p, h) in enumerate(members)]
    head = members[0][1]
    plans = plan_series(instances, head.modality)
    if not plans:
        raise InvalidInput(f"series {head.series_uid}: no image stack to evaluate")
    return build_volume(plans[0], lambda blob_id: Path(blob_id).open("rb"),
                        series_uid=head.series_uid, modality=head.modality,
                        stack_count=len(plans))
