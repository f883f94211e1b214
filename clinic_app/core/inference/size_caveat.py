"""When a finding's size should be checked on thin slices: small, and measured on thick ones.

The Fleischner Society (MacMahon et al., Radiology 2017) recommends reconstructing every
adult chest CT with contiguous sections of 1.5 mm or less (typically 1 mm), because thick
sections average small nodules away, and sets its solid-nodule follow-up at 6 and 8 mm,
where a millimetre changes the advice. On this project's held-out sets every size outside
the goal (±15 % diameter, ±25 % volume) was a lesion under 6.4 mm, and lesions under 6 mm
on 5 mm slices were found least often (docs/imaging-ai.md, "CT demo 1.7.2"). So a finding
measured under ``SMALL_FINDING_MM`` on slices more than ``THIN_SECTION_MM`` apart says its
size is approximate and on what slices; a larger one, or one from thin slices, says
nothing extra. It is a statement about the measurement, not a correction of it.

A finding that reaches the first or last image of the series analysed may go on beyond
it; its size is then only what the series shows, and it says so (``edge_note``).
"""

from __future__ import annotations

import math

from clinic_app.i18n import translate

# Thickest contiguous sections the Fleischner Society advises for small nodules (mm).
THIN_SECTION_MM = 1.5
# Largest finding (equivalent diameter, mm) whose size on thick slices is marked.
SMALL_FINDING_MM = 8.0


def approximate_size(diameter_mm: float | None, slice_mm: float | None) -> bool:
    """Whether a size of ``diameter_mm`` measured on slices ``slice_mm`` apart is marked
    approximate (module doc). Unknown size or spacing (a radiograph, a finding stored
    before the spacing was kept): nothing is claimed."""
    if diameter_mm is None or slice_mm is None:
        return False
    if not (math.isfinite(diameter_mm) and math.isfinite(slice_mm)):
        return False
    return slice_mm > THIN_SECTION_MM and diameter_mm < SMALL_FINDING_MM


def stored_spacing(value: object) -> float | None:
    """A slice spacing read back from a stored finding's geometry: None where none was kept
    (findings stored before 2026-12-07) or it is not a positive number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value > 0 else None


def remarks(diameter_mm: float | None, frame: str, slice_mm: float | None,
            at_series_edge: bool) -> tuple[bool, bool]:
    """(size approximate, may extend beyond the series) for a stored finding: the one rule
    the panel, the CLI and the DICOM SR export share. A finding without a size in mm (no
    pixel spacing) claims neither."""
    sized = diameter_mm is not None and frame != "uncalibrated"
    return (sized and approximate_size(diameter_mm, slice_mm), sized and at_series_edge)


def approximate_note(slice_mm: float) -> str:
    """The clinician's reading of an approximate size (the CLI's footnote, the viewer's
    detail line)."""
    #: Shown under a small finding's size when its slices are thick; {slice_mm} in mm.
    return translate(
        "size_caveat",
        "Approximate size: measured on slices {slice_mm:g} mm apart. Small nodules are "
        "measured on slices 1.5 mm or thinner (Fleischner Society); check it on a thin-slice "
        "series if there is one.").format(slice_mm=round(slice_mm, 2))


def edge_note() -> str:
    """What a finding that reaches the first or last image of the series says of its size."""
    #: Shown under the size of a finding cut off by the end of the series.
    return translate("size_caveat", "It reaches the first or last image of the series analysed "
                                    "and may extend beyond it: its size may be larger.")
