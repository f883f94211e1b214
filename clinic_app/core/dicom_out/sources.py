"""Source image headers for the writers, read from the encrypted store's DICOM blobs.

pydicom is the parser here; anything it raises on a stored file (including exceptions
outside ``Exception``'s tree, but never KeyboardInterrupt or SystemExit) becomes one
IntegrityError naming no patient data: a stored instance that no longer parses is damage.
"""

from __future__ import annotations

from io import BytesIO
from typing import BinaryIO

import pydicom
from pydicom.dataset import Dataset

from clinic_app.core.store.database import Database
from clinic_app.errors import IntegrityError


def instance_blob(db: Database, sop_uid: str) -> str | None:
    row = db.query_one("SELECT blob_id FROM dicom_instances WHERE sop_instance_uid = ?",
                       (sop_uid,))
    return str(row["blob_id"]) if row else None


def read_header(data: bytes | BinaryIO) -> Dataset:
    return _read(data, stop_before_pixels=True)


def read_full(data: bytes | BinaryIO) -> Dataset:
    """The whole instance; from ``BlobStore.open`` a large one is decrypted as it is parsed."""
    return _read(data, stop_before_pixels=False)


def _read(data: bytes | BinaryIO, *, stop_before_pixels: bool) -> Dataset:
    source = BytesIO(data) if isinstance(data, bytes) else data
    try:
        ds = pydicom.dcmread(source, stop_before_pixels=stop_before_pixels)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise IntegrityError(f"A stored image could not be read back ({type(exc).__name__}); "
                             "restore the study from backup or import it again.") from None
    if source is not data:
        return ds
    # The caller closes its stream: the dataset must not keep it (a deep copy would try to
    # copy the closed stream and warn).
    ds.buffer = None
    return ds
