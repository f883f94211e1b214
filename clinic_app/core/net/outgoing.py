"""One instance to send: what an association must offer for it, and how to read it when due.

A study is sent one instance at a time: each is read from the store (``load``) just before
its C-STORE and dropped after it, so sending a 300-slice study holds one slice in memory,
not the whole study. The SOP class and transfer syntax come from the imaging index, so
the presentation contexts are negotiated without reading any instance first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from pydicom.dataset import Dataset

from clinic_app.core.dicom_out.sources import read_full
from clinic_app.core.imaging import index
from clinic_app.core.store.blobs import BlobStore
from clinic_app.core.store.database import Database


@dataclass(frozen=True)
class Outgoing:
    sop_class: str
    transfer_syntax: str
    load: Callable[[], Dataset]

    @classmethod
    def of(cls, ds: Dataset) -> Outgoing:
        """An instance already in memory (SR, SEG, KO from the output writers)."""
        return cls(str(ds.SOPClassUID), str(ds.file_meta.TransferSyntaxUID), lambda: ds)


def stored_study(db: Database, blobs: BlobStore, series_uids: Sequence[str]) -> list[Outgoing]:
    """Every stored instance of these series, in index order, each read when it is sent."""
    return [Outgoing(i.sop_class_uid, i.transfer_syntax, partial(_stored, blobs, i.blob_id))
            for uid in series_uids for i in index.series_instances(db, uid)]


def _stored(blobs: BlobStore, blob_id: str) -> Dataset:
    """A stored instance through the store's stream (decrypted a chunk at a time if large)."""
    with blobs.open(index.BLOB_KIND, blob_id) as fh:
        return read_full(fh)
