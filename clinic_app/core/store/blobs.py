"""Bulk payloads (DICOM instances, heatmaps) as AES-256-GCM encrypted files.

Each file is ``MAGIC | key_id | nonce | ciphertext+tag`` under an opaque random name
(never a UID, MRN or name); payloads of ``STREAM_BYTES`` or more use the chunked ``CAB2``
layout instead (chunked.py), which can be decrypted a part at a time
(:meth:`BlobStore.open`). The associated data ``blob|kind|id|key_id`` binds the bytes
to their identity, so swapping two files on disk, or renaming one, fails authentication
instead of showing the wrong patient's image.

Writes go to a temporary file in the same folder (ciphertext only) and are renamed into
place, so a crash never leaves a half-written blob under a real name. Durability is
batched per transaction (see :meth:`BlobStore.batch`).
"""

from __future__ import annotations

import io
import logging
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from clinic_app.core.store import chunked
from clinic_app.errors import IntegrityError, StoreError

log = logging.getLogger("clinic_app.store")

MAGIC = b"CAB1"
KEY_ID_BYTES = 8
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
#: Payloads at least this large are written in the chunked CAB2 layout (chunked.py), a
#: chunk at a time: no second full-size copy in memory when writing (a 1 GiB instance
#: needed 2.2 GB to import) or when reading through :meth:`BlobStore.open`.
STREAM_BYTES = 8 * 1024**2
#: Bytes a reader needs to find a blob's format and key: the magic and the key id.
KEY_HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES


def key_id_of(head: bytes) -> bytes | None:
    """The key id in a blob file's first bytes (either layout), or None if not a blob."""
    if len(head) < KEY_HEADER_BYTES or head[:len(MAGIC)] not in (MAGIC, chunked.MAGIC2):
        return None
    return head[len(MAGIC):KEY_HEADER_BYTES]


def new_blob_id() -> str:
    return secrets.token_hex(16)


def _check_id(blob_id: str) -> None:
    if len(blob_id) != 32 or any(c not in "0123456789abcdef" for c in blob_id):
        raise ValueError("blob ids are 32 lowercase hex characters")


class BlobStore:
    def __init__(self, root: Path, key: bytes, key_id: bytes) -> None:
        if len(key) != 32 or len(key_id) != KEY_ID_BYTES:
            raise ValueError("blob keys are 256-bit with an 8-byte key id")
        self.root = root
        self._aead = AESGCM(key)
        self._key = key
        self._key_id = key_id
        self._others: dict[bytes, AESGCM] = {}

    @property
    def key_id(self) -> bytes:
        return self._key_id

    def also_read(self, key: bytes, key_id: bytes) -> None:
        """Accept blobs under another key too (during a key rotation both keys are live)."""
        self._others[key_id] = AESGCM(key)

    def try_get(self, kind: str, blob_id: str) -> bytes | None:
        """The plaintext if the blob opens as ``kind`` under a key this store holds, else None
        (no alarm: used to find a blob's kind when re-encrypting it)."""
        try:
            with self._open(kind, blob_id, quiet=True) as fh:
                return fh.read()
        except (OSError, IntegrityError, StoreError):
            return None

    def path_for(self, blob_id: str) -> Path:
        _check_id(blob_id)
        return self.root / blob_id[:2] / blob_id

    @staticmethod
    def associated_data(kind: str, blob_id: str, key_id: bytes) -> bytes:
        return b"|".join((b"blob", kind.encode("ascii"), blob_id.encode("ascii"), key_id.hex().encode()))

    def put(self, kind: str, data: bytes, blob_id: str | None = None) -> str:
        blob_id = blob_id or new_blob_id()
        path = self.path_for(blob_id)
        nonce = os.urandom(NONCE_BYTES)
        aad = self.associated_data(kind, blob_id, self._key_id)
        sealed = self._aead.encrypt(nonce, data, aad) if len(data) < STREAM_BYTES else None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{blob_id}.{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "wb") as fh:
                if sealed is not None:
                    fh.write(MAGIC + self._key_id + nonce)
                    fh.write(sealed)
                else:
                    chunked.write(fh, self._aead, chunked.header(self._key_id, len(data)),
                                  data, aad)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"Could not write to the store ({exc.strerror}); check disk space.") from exc
        return blob_id

    def get(self, kind: str, blob_id: str) -> bytes:
        """The whole plaintext (checked). For large blobs prefer :meth:`open`."""
        with self.open(kind, blob_id) as fh:
            return fh.read()

    def open(self, kind: str, blob_id: str) -> BinaryIO:
        """A seekable read-only file of the plaintext.

        A CAB2 blob is decrypted a chunk at a time as it is read, so a frame of a large
        instance costs its own chunks, never the whole blob; a CAB1 blob is decrypted
        whole on opening (one GCM tag covers all of it). Raises IntegrityError (missing,
        damaged, altered or moved) or StoreError (under a key this session lacks) when
        opened, and IntegrityError when a damaged chunk is read.
        """
        return self._open(kind, blob_id, quiet=False)

    def _open(self, kind: str, blob_id: str, *, quiet: bool) -> BinaryIO:
        path = self.path_for(blob_id)
        try:
            fh = open(path, "rb")  # noqa: SIM115 - handed to the reader, closed with it
        except FileNotFoundError as exc:
            raise IntegrityError(
                f"A stored {kind} file is missing from the store; restore from backup."
            ) from exc
        try:
            return self._reader(fh, kind, blob_id, quiet=quiet)
        except BaseException:
            fh.close()
            raise

    def _reader(self, fh: BinaryIO, kind: str, blob_id: str, *, quiet: bool) -> BinaryIO:
        head = fh.read(HEADER_BYTES)
        key_id = key_id_of(head)
        if key_id is None or len(head) < HEADER_BYTES:
            raise IntegrityError(f"A stored {kind} file is damaged (bad header).")
        aead = self._aead if key_id == self._key_id else self._others.get(key_id)
        if aead is None:
            # Not tampering: the file names a key this session does not hold. That happens when
            # a key rotation re-encrypted it after this session signed in.
            raise StoreError(f"A stored {kind} file is under a newer clinical key (a key rotation "
                             "ran since you signed in); sign in again to read it.")
        aad = self.associated_data(kind, blob_id, key_id)
        if head[:len(MAGIC)] == chunked.MAGIC2:
            fh.seek(0)
            return cast(BinaryIO, chunked.ChunkedReader(fh, aead, aad,
                                                        lambda why: _failed(kind, why, quiet)))
        sealed = fh.read()
        if len(sealed) < 16:
            raise IntegrityError(f"A stored {kind} file is damaged (bad header).")
        try:
            plain = aead.decrypt(head[KEY_HEADER_BYTES:HEADER_BYTES], sealed, aad)
        except InvalidTag as exc:
            raise _failed(kind, "failed authentication", quiet) from exc
        fh.close()
        return io.BytesIO(plain)

    def delete(self, blob_id: str) -> None:
        self.path_for(blob_id).unlink(missing_ok=True)

    @contextmanager
    def batch(self) -> Iterator[BlobBatch]:
        """Blobs written for one transaction: synced on success, deleted on failure.

        Open it *inside* the database transaction that references the blobs::

            with db.transaction(), blobs.batch() as batch:
                blob_id = batch.put("dicom", data)
                db.execute("INSERT ...", (blob_id, ...))

        The batch exits first: on success its files are fsynced before the rows commit,
        so a committed row never points at data lost in a power cut; on failure the files
        are deleted before the rollback. A commit that fails after the sync leaves only
        unreferenced ciphertext, which ``clinic-app store gc`` removes.
        """
        batch = BlobBatch(self)
        try:
            yield batch
        except BaseException:
            batch.discard()
            raise
        batch.sync()

    def ids_on_disk(self) -> set[str]:
        if not self.root.exists():
            return set()
        return {p.name for p in self.root.glob("??/*") if not p.name.startswith(".")}


class BlobBatch:
    """The blobs one transaction wrote (see :meth:`BlobStore.batch`)."""

    def __init__(self, store: BlobStore) -> None:
        self.store = store
        self.written: list[str] = []

    def put(self, kind: str, data: bytes) -> str:
        blob_id = self.store.put(kind, data)
        self.written.append(blob_id)
        return blob_id

    def sync(self) -> None:
        """fsync the files and their folders so committed rows never point at lost data.

        fsyncs are issued from a small thread pool: the kernel then flushes them together,
        which measured ~10x faster than one at a time for 100 instance files (the import's
        pauses were these serial fsyncs).
        """
        paths = [self.store.path_for(blob_id) for blob_id in self.written]
        if not paths:
            return
        if len(paths) == 1:
            fsync_file(paths[0])
        else:
            with ThreadPoolExecutor(max_workers=min(8, len(paths))) as pool:
                list(pool.map(fsync_file, paths))
        for d in {p.parent for p in paths}:
            fsync_dir(d)

    def discard(self) -> None:
        for blob_id in self.written:
            self.store.delete(blob_id)
        self.written.clear()


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _failed(kind: str, why: str, quiet: bool) -> IntegrityError:
    """The user's message for a blob that fails a check; ``why`` goes to the log only."""
    if not quiet:
        log.error("blob failed authentication (kind=%s): %s", kind, why)
    return IntegrityError(
        f"A stored {kind} file failed authentication: it was altered or moved. "
        "It has not been shown; the rest of the store is usable. Tell IT.")
