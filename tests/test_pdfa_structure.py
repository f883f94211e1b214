"""PDF/A-1b structure of the risk report, checked rule by rule (veraPDF is not available)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from clinic_app.core.reports.icc_v2 import srgb_v2_profile
from clinic_app.core.reports.risk_pdf import _font, _xmp
from tests.pdfa_structure import violations
from tests.test_risk_service import clinic  # noqa: F401  (the fixture)


def test_the_exported_report_breaks_no_checked_pdfa_rule(clinic, tmp_path):  # noqa: F811
    """The report the service writes passes every structural PDF/A-1b check."""
    store, phys = clinic
    files = store.services.risk_report.export(phys, "MRN-1", folder=tmp_path)
    assert violations(files.pdf) == []


def _plain_fpdf(path: Path, *, profile: bytes, compliance: bool) -> Path:
    """A one-page PDF the way fpdf2 writes it by default (or in its PDF/A-1B mode)."""
    from fpdf import FPDF
    from fpdf.enums import DocumentCompliance, OutputIntentSubType
    from fpdf.output import PDFICCProfile

    pdf = FPDF(enforce_compliance=DocumentCompliance.PDFA_1B) if compliance else FPDF()
    pdf.add_font("body", "", str(_font("DejaVuSans.ttf")))
    pdf.set_title("t")
    pdf.add_output_intent(OutputIntentSubType.PDFA, output_condition_identifier="sRGB",
                          dest_output_profile=PDFICCProfile(profile, 3, "DeviceRGB"))
    pdf.set_xmp_metadata(_xmp("t", "a", datetime(2020, 1, 1, tzinfo=UTC)))
    pdf.add_page()
    pdf.set_font("body", "", 11)
    pdf.cell(0, 10, "Blood pressure 120 mmHg")
    pdf.output(str(path))
    return path


def test_the_checker_finds_what_fpdf2_gets_wrong_by_default(tmp_path):
    """Default fpdf2 + LittleCMS profile: transparency group, no CIDSet, ICC v4, Info/XMP."""
    v4 = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    found = violations(_plain_fpdf(tmp_path / "plain.pdf", profile=v4, compliance=False))
    assert any(v.startswith("6.4 a transparency group") for v in found)
    assert any(v.startswith("6.3.5 CIDFont subset") for v in found)
    assert any("ICC version 4" in v for v in found)
    assert any(v.startswith("6.7.3 Info CreationDate") for v in found)
    fixed = violations(_plain_fpdf(tmp_path / "a1b.pdf", profile=srgb_v2_profile(),
                                   compliance=True))
    assert fixed == []


def test_the_checker_finds_encryption_and_a_missing_xmp(tmp_path):
    """An encrypted file, and one without XMP, are named by their clauses."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="o")
    pdf.add_page()
    pdf.output(str(tmp_path / "enc.pdf"))
    found = violations(tmp_path / "enc.pdf")
    assert "6.1.3 the file is encrypted" in found
    assert "6.7.2 no XMP metadata stream in the catalogue" in found
    assert "6.2.2 no GTS_PDFA1 output intent" in found


def test_the_version_2_srgb_profile_maps_colours_as_littlecms_srgb():
    """LittleCMS reads our v2 profile and maps 4,096 random colours to within 1/255 of its sRGB."""
    data = srgb_v2_profile()
    assert data[8] == 2 and data[36:40] == b"acsp" and len(data) == int.from_bytes(data[:4], "big")
    ours = ImageCms.ImageCmsProfile(io.BytesIO(data))
    assert ours.profile.version == pytest.approx(2.1)
    assert ours.profile.profile_description == "sRGB IEC61966-2.1"
    reference = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    pixels = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    for intent in (ImageCms.Intent.PERCEPTUAL, ImageCms.Intent.RELATIVE_COLORIMETRIC):
        transform = ImageCms.buildTransform(ours, reference, "RGB", "RGB", renderingIntent=intent)
        out = np.asarray(ImageCms.applyTransform(Image.fromarray(pixels, "RGB"), transform))
        assert np.abs(out.astype(int) - pixels).max() <= 1

