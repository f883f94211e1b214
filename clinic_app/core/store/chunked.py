"""The chunked blob format (``CAB2``): large payloads encrypted so they can be read in parts.

Why a second format: ``CAB1`` is one AES-GCM message over the whole payload, and GCM
authenticates only at the end, so a reader must hold (or at least decrypt) all of it before
it may use a single byte. Loading a 1 GiB instance then held the whole decrypted blob while
decoding it: about twice the volume. ``CAB2`` splits the payload into chunks that are each
their own AES-GCM message, so one chunk is decrypted, authenticated and used at a time,
at any position (a frame in the middle of a multi-frame instance reads only its chunks).

Layout::

    "CAB2" | key_id (8) | nonce prefix (7) | chunk size (u32 BE) | payload length (u64 BE)
    chunk 0 | chunk 1 | ... | chunk n-1        each: ciphertext (chunk size, last shorter) + tag (16)

Chunk ``i`` is sealed with nonce ``prefix | i (u32 BE) | final (1 byte: 1 on the last chunk,
else 0)`` and associated data ``blob|kind|id|key_id|`` followed by the 31 header bytes. So:

* a chunk moved to another position, or to another blob, fails (index and blob identity);
* cutting the file after any chunk fails: the header's length fixes the file size and the
  chunk count, and the chunk that would now be last was sealed with final = 0;
* the header cannot be edited (it is in every chunk's associated data).

The nonce prefix is 56 random bits per blob, and a blob never has 2^32 chunks, so nonces
never repeat under one key in practice (the same bound as CAB1's 96-bit random nonces
for the number of blobs a clinic writes). ``CAB1`` blobs stay readable; they are not
rewritten (small blobs are still written as ``CAB1``: one call is faster for them).
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC2 = b"CAB2"
PREFIX_BYTES = 7
TAG_BYTES = 16
_HEAD = struct.Struct(">4s8s7sIQ")
HEADER2_BYTES = _HEAD.size  # 31
#: Plaintext per chunk: small enough that the one chunk a reader holds is negligible beside
#: a frame, large enough that the 16-byte tags and per-call costs do not show.
CHUNK2_BYTES = 1 << 20


def chunk_count(length: int, chunk: int) -> int:
    return max(1, -(-length // chunk))


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if final else 0)


def header(key_id: bytes, length: int, chunk: int | None = None) -> bytes:
    return _HEAD.pack(MAGIC2, key_id, os.urandom(PREFIX_BYTES), chunk or CHUNK2_BYTES, length)


def write(fh: BinaryIO, aead: AESGCM, head: bytes, data: bytes | memoryview, aad: bytes) -> None:
    """Seal ``data`` chunk by chunk after ``head`` (from :func:`header`): one chunk in memory."""
    _magic, _key_id, prefix, chunk, length = _HEAD.unpack(head)
    view = memoryview(data)
    assert len(view) == length
    fh.write(head)
    n = chunk_count(length, chunk)
    for i in range(n):
        part = view[i * chunk:(i + 1) * chunk]
        fh.write(aead.encrypt(_nonce(prefix, i, i == n - 1), part, aad + head))


class ChunkedReader(io.RawIOBase):
    """A seekable, read-only view of a ``CAB2`` blob's plaintext.

    Deliberately not an ``io.BufferedReader``: pydicom takes one of those for a file it
    may reopen by name for deferred values, which here would be the ciphertext file.

    Only the chunk under the read position is decrypted (and kept until the position
    leaves it); every byte handed out belongs to a chunk that passed authentication.
    The file's size is checked against the header when opened, so truncation or
    appended bytes are reported before any read.
    """

    def __init__(self, fh: BinaryIO, aead: AESGCM, aad: bytes,
                 failed: Callable[[str], BaseException]) -> None:
        """``failed(why)`` makes the exception raised for a failed check (the caller's
        IntegrityError); ``why`` is for the log, never for the user."""
        super().__init__()
        self._fh = fh
        self._failed = failed
        head = fh.read(HEADER2_BYTES)
        if len(head) != HEADER2_BYTES:
            raise failed("short header")
        magic, _key_id, self._prefix, self._chunk, self._length = _HEAD.unpack(head)
        if magic != MAGIC2 or self._chunk == 0:
            raise failed("bad header")
        self._count = chunk_count(self._length, self._chunk)
        size = os.fstat(fh.fileno()).st_size
        if size != HEADER2_BYTES + self._length + TAG_BYTES * self._count:
            raise failed("file size does not match its header (cut or extended)")
        self._aead = aead
        self._aad = aad + head
        self._pos = 0
        self._cached = -1
        self._plain = b""

    @property
    def length(self) -> int:
        return self._length

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._length}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def _load(self, index: int) -> bytes:
        if index != self._cached:
            start = HEADER2_BYTES + index * (self._chunk + TAG_BYTES)
            size = min(self._chunk, self._length - index * self._chunk) + TAG_BYTES
            self._fh.seek(start)
            sealed = self._fh.read(size)
            try:
                self._plain = self._aead.decrypt(
                    _nonce(self._prefix, index, index == self._count - 1), sealed, self._aad)
            except InvalidTag:
                self._cached, self._plain = -1, b""
                raise self._failed(f"chunk {index} failed authentication") from None
            self._cached = index
        return self._plain

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        out = memoryview(buffer).cast("B")
        done = 0
        while done < len(out) and self._pos < self._length:
            index, within = divmod(self._pos, self._chunk)
            if done and index != self._cached:
                break  # hand out the checked bytes first; the next chunk is checked next call
            plain = self._load(index)
            n = min(len(out) - done, len(plain) - within)
            out[done:done + n] = plain[within:within + n]
            done += n
            self._pos += n
        return done

    def read(self, size: int | None = -1) -> bytes:
        """``size`` bytes (fewer only at the end): readers such as pydicom expect whole
        reads, so this loops over chunk edges; a chunk that fails its check raises."""
        if size is None or size < 0:
            return self.readall()
        out = bytearray(min(size, max(0, self._length - self._pos)))
        view, got = memoryview(out), 0
        while got < len(out):
            n = self.readinto(view[got:])
            if not n:
                break
            got += n
        view.release()
        del out[got:]
        return bytes(out)

    def readall(self) -> bytes:
        return self.read(max(0, self._length - self._pos))

    def close(self) -> None:
        if not self.closed:
            self._fh.close()
            self._plain = b""
        super().close()
