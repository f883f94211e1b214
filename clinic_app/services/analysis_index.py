"""What the analysis reads from the image index: the series a model may choose from, and
where each stored finding sits on its series as indexed now.

Neither decodes a pixel: both plan from the index's facts, so choosing a series and
placing findings stay cheap for a study no model can read.
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.core.imaging import geometry, index
from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.inference import finding_store as store
from clinic_app.core.inference.selection import SeriesFacts
from clinic_app.core.store.database import Database
from clinic_app.services.imaging_types import StudyDetail


def series_facts(detail: StudyDetail) -> list[SeriesFacts]:
    """One SeriesFacts per stack of each series (geometry from the index, nothing decoded)."""
    facts: list[SeriesFacts] = []
    for series in detail.series:
        status = "; ".join(series.not_decodable)
        if not series.stacks:
            facts.append(SeriesFacts(series.series_uid, series.number, series.modality,
                                     series.body_part, 0, 0, 0, None, None, None, False,
                                     status or "no decodable images"))
            continue
        for stack in series.stacks:
            slices, rows, cols = stack.dimensions
            facts.append(SeriesFacts(
                series_uid=series.series_uid, number=series.number, modality=series.modality,
                body_part=series.body_part, slices=slices, rows=rows, cols=cols,
                pixel_spacing_mm=(stack.spacing[1], stack.spacing[2]) if stack.calibrated
                else None,
                slice_thickness_mm=stack.spacing[0] if stack.kind == StackKind.VOLUME else None,
                orientation=stack.orientation_cosines, decodable=True, status=status,
                stack_index=stack.index, kind=stack.kind))
    return facts


def placed_findings(db: Database, found: Sequence[store.StoredFinding]) -> list[store.StoredFinding]:
    """Each finding on its series as indexed now (stack and slice of its source image).

    Plans each series once from the index (no pixels decoded), so a finding is drawn
    on the image it was found on even after later imports renumbered the stacks.
    """
    where: dict[str, store.FrameLocations] = {}
    for f in found:
        if f.series_uid not in where:
            owner = index.series_context(db, f.series_uid)
            plans = geometry.plan_series(index.series_instances(db, f.series_uid),
                                         owner["modality"]) if owner else []
            where[f.series_uid] = geometry.frame_locations(plans)
    return [store.placed(f, where[f.series_uid]) for f in found]
