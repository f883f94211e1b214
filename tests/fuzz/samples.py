"""The seed files the fuzz harness mutates: small bundled pydicom samples spanning every
decodable encoding, plus synthetic enhanced multi-frame, ultrasound cine, CR and an RLE CT
slice (so functional groups, cine, MONOCHROME1 and RLE are covered)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydicom.data import get_testdata_file

BUNDLED = (
    "CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
    "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "JPEG2000.dcm",
    "image_dfl.dcm", "rtdose.dcm", "SC_rgb_rle_2frame.dcm", "SC_rgb_small_odd_big_endian.dcm",
    "JPGExtended.dcm", "SC_ybr_full_422_uncompressed.dcm", "693_J2KI.dcm", "emri_small.dcm",
)


def load() -> dict[str, bytes]:
    from clinic_app.synthetic.dicom_series import (
        write_cr,
        write_ct_series,
        write_enhanced,
        write_us_cine,
    )

    out: dict[str, bytes] = {}
    for name in BUNDLED:
        found = get_testdata_file(name)
        assert isinstance(found, str), name
        out[name] = Path(found).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = {
            "enhanced_mr": write_enhanced(root / "mr.dcm", modality="MR", frames=6, rows=32,
                                          cols=32, stacks=2).paths[0],
            "us_cine": write_us_cine(root / "us.dcm", frames=3, rows=40, cols=48).paths[0],
            "cr": write_cr(root / "cr.dcm", rows=64, cols=64).paths[0],
            "ct_rle": write_ct_series(root / "ct", slices=1, rows=48, cols=48, pixel_mm=4.0,
                                      compression="rle").paths[0],
        }
        for name, path in made.items():
            out[name] = path.read_bytes()
    return out
