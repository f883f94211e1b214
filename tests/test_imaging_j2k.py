"""The multithreaded JPEG 2000 path returns exactly what pydicom returns, or steps aside."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pydicom
import pydicom.data
import pytest
from pydicom.encaps import get_frame

from clinic_app.core.imaging import j2k
from clinic_app.core.imaging.decode import J2K_SYNTAXES

BUNDLED = Path(pydicom.data.__file__).parent / "test_files"
SELFTEST = Path(__file__).resolve().parents[1] / "clinic_app" / "resources" / "selftest"
FILES = [
    BUNDLED / "693_J2KI.dcm", BUNDLED / "J2K_pixelrep_mismatch.dcm", BUNDLED / "JPEG2000.dcm",
    BUNDLED / "MR_small_jp2klossless.dcm", BUNDLED / "GDCMJ2K_TextGBR.dcm", BUNDLED / "examples_jpeg2k.dcm",
    SELFTEST / "j2k.dcm", SELFTEST / "j2k_lossless.dcm", SELFTEST / "htj2k.dcm",
    SELFTEST / "htj2k_lossless.dcm", SELFTEST / "htj2k_rpcl.dcm",
]


def _fast(ds: pydicom.Dataset) -> np.ndarray | None:
    frame = get_frame(ds.PixelData, 0, number_of_frames=int(ds.get("NumberOfFrames", 1)))
    if int(ds.SamplesPerPixel) != 1:
        return None
    return j2k.decode_grey(frame, int(ds.BitsStored), int(ds.BitsAllocated), bool(ds.PixelRepresentation))


@pytest.mark.skipif(not j2k.AVAILABLE, reason="imagecodecs with OpenJPEG is a declared dependency")
def test_fast_path_equals_pydicom_or_declines() -> None:
    """On every bundled and self-test J2K/HTJ2K file the fast path is exact or returns None."""
    used = 0
    for path in FILES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path)
            assert ds.file_meta.TransferSyntaxUID in J2K_SYNTAXES
            expected = ds.pixel_array
        got = _fast(ds)
        if got is None:
            continue
        used += 1
        exp = expected if expected.ndim == 2 else expected[0]
        assert got.dtype == exp.dtype, path.name
        np.testing.assert_array_equal(got, exp, err_msg=path.name)
    assert used >= 6  # the common greyscale cases really take the fast path


def test_codestream_disagreeing_with_its_header_is_left_to_pydicom() -> None:
    """A codestream whose signedness or precision differs from the header is not fast-pathed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(BUNDLED / "J2K_pixelrep_mismatch.dcm")
    frame = get_frame(ds.PixelData, 0, number_of_frames=1)
    info = j2k.codestream_info(frame)
    assert info is not None
    assert j2k.decode_grey(frame, int(ds.BitsStored), 16, not info.signed) is None
    assert j2k.decode_grey(frame, info.precision + 1, 16, info.signed) is None


def test_codestream_info_reads_siz_and_rejects_other_bytes() -> None:
    """SIZ parsing gives components, precision and signedness; non-codestreams give None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(BUNDLED / "MR_small_jp2klossless.dcm")
    info = j2k.codestream_info(get_frame(ds.PixelData, 0, number_of_frames=1))
    assert info == j2k.CodestreamInfo(components=1, precision=16, signed=True)
    assert j2k.codestream_info(b"\x00" * 64) is None
    assert j2k.codestream_info(b"\xff\x4f\xff\x51") is None
