"""Key Object Selection listing the images of the findings a radiologist accepted."""

from __future__ import annotations

from collections.abc import Sequence

import highdicom as hd
from pydicom.dataset import Dataset

from clinic_app.core.dicom_out.codes import OF_INTEREST
from clinic_app.core.dicom_out.seg import MANUFACTURER


def build_ko(images: Sequence[Dataset], *, series_uid: str, sop_uid: str,
             series_number: int = 903) -> hd.ko.KeyObjectSelectionDocument:
    """``images``: headers of the key images (each once), in reading order."""
    content = hd.ko.KeyObjectSelection(
        document_title=OF_INTEREST, referenced_objects=list(images),
        description="Images of AI findings accepted by the radiologist")
    return hd.ko.KeyObjectSelectionDocument(
        evidence=list(images), content=content, series_instance_uid=series_uid,
        series_number=series_number, sop_instance_uid=sop_uid, instance_number=1,
        manufacturer=MANUFACTURER)
