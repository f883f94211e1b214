"""Helpers for the imaging tests: a StoredInstance factory and small synthetic data sets."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pydicom import dcmread
from pydicom.data import get_testdata_file

from clinic_app.core.imaging.header_types import PixelLayout
from clinic_app.core.imaging.index import StoredInstance
from clinic_app.synthetic.dicom_series import write_cr

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)

_BASE = StoredInstance(
    id=1, sop_instance_uid="1.2.3.1", sop_class_uid="1.2.840.10008.5.1.4.1.1.2", blob_id="0" * 32,
    transfer_syntax="1.2.840.10008.1.2.1", instance_number=1, acquisition_number=1,
    image_type="ORIGINAL\\PRIMARY\\AXIAL",
    pixels=PixelLayout(rows=4, cols=6, frames=1, samples=1, bits_allocated=16, bits_stored=16,
                       pixel_representation=1, photometric="MONOCHROME2",
                       planar_configuration=0, encapsulated=False, offset=0, length=48),
    position=(0.0, 0.0, 0.0), orientation=AXIAL, pixel_spacing=(0.5, 0.7),
    spacing_source="PixelSpacing", slice_thickness=5.0, spacing_between_slices=None,
    gantry_tilt=None, rescale_slope=1.0, rescale_intercept=0.0, rescale_type="",
    window_centers=(), window_widths=(), window_names=(), voi_function="LINEAR",
    presentation_lut_shape="", padding_value=None, padding_limit=None, frame_time_ms=None,
    frame_geometry=None, has_modality_lut=False, has_voi_lut=False, decodable=True, status="",
    warnings=())


def instance(n: int, **changes: object) -> StoredInstance:
    """A single-frame instance with id/SOP UID/InstanceNumber ``n`` and the given changes."""
    return replace(_BASE, id=n, sop_instance_uid=f"1.2.3.{n}", instance_number=n, **changes)  # type: ignore[arg-type]


def stack_at(zs: Sequence[float], **changes: object) -> list[StoredInstance]:
    """Axial instances at heights ``zs`` (listed in the order given)."""
    return [instance(i + 1, position=(-10.0, -20.0, float(z)), **changes) for i, z in enumerate(zs)]


def pydicom_file(name: str) -> Path:
    path = get_testdata_file(name)
    assert path is not None, f"{name} must ship in the pydicom wheel"
    return Path(path)


def copy_pydicom_files(names: Sequence[str], dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        target = dest / name.replace("/", "_")
        shutil.copyfile(pydicom_file(name), target)
        out.append(target)
    return out


def dicomdir_tree(dest: Path) -> Path:
    """A copy of pydicom's bundled DICOMDIR media (CR MONOCHROME1, CT and MR files)."""
    src = pydicom_file("DICOMDIR").parent
    shutil.copytree(src, dest)
    return dest


def radiograph_pair(folder: Path) -> tuple[str, str]:
    """One CR series holding a PA (PatientOrientation L\\F) and a lateral (A\\F), both
    256², instance numbers 1 and 2. Returns the study and series UIDs."""
    pa = write_cr(folder / "pa.dcm", seed=2)
    lat = write_cr(folder / "lat.dcm", seed=3, study_uid=pa.study_uid)
    for (path,), number, codes in ((pa.paths, 1, ["L", "F"]), (lat.paths, 2, ["A", "F"])):
        ds = dcmread(path)
        ds.SeriesInstanceUID = pa.series_uid
        ds.InstanceNumber = number
        ds.PatientOrientation = codes
        ds.save_as(path, enforce_file_format=True)
    return pa.study_uid, pa.series_uid
