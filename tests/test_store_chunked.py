"""The chunked blob layout (CAB2): read in parts, every part authenticated, attacks refused."""

from __future__ import annotations

import io
import os
import struct
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.store import blobs as blobs_mod
from clinic_app.core.store import chunked
from clinic_app.core.store.blobs import BlobStore
from clinic_app.errors import IntegrityError

KEY, KEY_ID = bytes(range(32)), b"\x01" * 8
CHUNK = 64  # tiny chunks so a few hundred bytes cross many boundaries


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunked layout from 1 byte up, 64-byte chunks (the format, not the tuning, is tested)."""
    monkeypatch.setattr(blobs_mod, "STREAM_BYTES", 1)
    monkeypatch.setattr(chunked, "CHUNK2_BYTES", CHUNK)


def _payload(n: int) -> bytes:
    return bytes((i * 7 + i // 256) % 256 for i in range(n))


def _chunk_span(i: int) -> tuple[int, int]:
    start = chunked.HEADER2_BYTES + i * (CHUNK + chunked.TAG_BYTES)
    return start, start + CHUNK + chunked.TAG_BYTES


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 700), reads=st.lists(st.tuples(st.integers(0, 720), st.integers(0, 300)),
                                             max_size=8))
def test_any_read_at_any_position_returns_the_plaintext(tmp_path: Path, small_chunks: None,
                                                        n: int, reads: list[tuple[int, int]]) -> None:
    """Round trip of every length around chunk edges, and seek+read anywhere equals a slice."""
    store = BlobStore(tmp_path / "b", KEY, KEY_ID)
    data = _payload(n)
    blob_id = store.put("dicom", data)
    assert store.path_for(blob_id).read_bytes()[:4] == (chunked.MAGIC2 if n else blobs_mod.MAGIC)
    assert store.get("dicom", blob_id) == data
    with store.open("dicom", blob_id) as fh:
        for pos, size in reads:
            fh.seek(pos)
            assert fh.read(size) == data[pos:pos + size]
        fh.seek(-min(n, 5), io.SEEK_END)
        assert fh.read() == data[n - min(n, 5):]


def test_old_one_message_blobs_stay_readable(tmp_path: Path) -> None:
    """A CAB1 blob (one AES-GCM message) opens and reads like before: no migration needed."""
    store = BlobStore(tmp_path / "b", KEY, KEY_ID)
    data = _payload(3000)
    blob_id = store.put("dicom", data)  # below STREAM_BYTES: CAB1
    assert store.path_for(blob_id).read_bytes()[:4] == blobs_mod.MAGIC
    with store.open("dicom", blob_id) as fh:
        fh.seek(1000)
        assert fh.read(10) == data[1000:1010]
    assert store.get("dicom", blob_id) == data


def _stored(tmp_path: Path, n: int = 300) -> tuple[BlobStore, str, Path, bytes]:
    store = BlobStore(tmp_path / "b", KEY, KEY_ID)
    data = _payload(n)
    blob_id = store.put("dicom", data)
    return store, blob_id, store.path_for(blob_id), data


def _read_all_fails(store: BlobStore, blob_id: str) -> None:
    with pytest.raises(IntegrityError, match="failed authentication"), store.open("dicom", blob_id) as fh:
        fh.read()


def test_cut_after_a_chunk_is_refused(tmp_path: Path, small_chunks: None) -> None:
    """Dropping the last chunk (file cut at a chunk boundary) fails, at opening."""
    store, blob_id, path, _ = _stored(tmp_path)
    raw = path.read_bytes()
    path.write_bytes(raw[:_chunk_span(3)[1]])
    with pytest.raises(IntegrityError):
        store.open("dicom", blob_id)


def test_cut_with_a_rewritten_length_is_refused(tmp_path: Path, small_chunks: None) -> None:
    """Cutting to 4 chunks and editing the header's length to match: the new last chunk was
    sealed as not final, and the header is authenticated, so it fails."""
    store, blob_id, path, _ = _stored(tmp_path)
    raw = bytearray(path.read_bytes()[:_chunk_span(3)[1]])
    struct.pack_into(">Q", raw, chunked.HEADER2_BYTES - 8, 4 * CHUNK)
    path.write_bytes(bytes(raw))
    _read_all_fails(store, blob_id)


def test_swapped_chunks_and_flipped_bytes_are_refused(tmp_path: Path, small_chunks: None) -> None:
    """Two chunks exchanged, or one byte of a chunk flipped: reading there fails."""
    store, blob_id, path, data = _stored(tmp_path)
    raw = bytearray(path.read_bytes())
    (a0, a1), (b0, b1) = _chunk_span(1), _chunk_span(2)
    swapped = raw[:a0] + raw[b0:b1] + raw[a0:a1] + raw[b1:]
    path.write_bytes(bytes(swapped))
    with store.open("dicom", blob_id) as fh:
        assert fh.read(CHUNK) == data[:CHUNK]  # chunk 0 is intact and may be used
        with pytest.raises(IntegrityError):
            fh.read(CHUNK)
    raw[_chunk_span(0)[0] + 5] ^= 1
    path.write_bytes(bytes(raw))
    _read_all_fails(store, blob_id)


def test_a_chunk_from_another_blob_or_a_renamed_file_is_refused(tmp_path: Path,
                                                                small_chunks: None) -> None:
    """Chunks are bound to their blob: one spliced in from another blob, or the whole file
    under another id or kind, fails authentication."""
    store, blob_id, path, _ = _stored(tmp_path)
    other_id = store.put("dicom", _payload(300))
    other = store.path_for(other_id).read_bytes()
    raw = bytearray(path.read_bytes())
    s0, s1 = _chunk_span(1)
    path.write_bytes(bytes(raw[:s0] + other[s0:s1] + raw[s1:]))
    _read_all_fails(store, blob_id)
    path.write_bytes(bytes(raw))
    os.replace(path, store.path_for(other_id))
    _read_all_fails(store, other_id)
    assert store.try_get("heatmap", other_id) is None


def test_reading_one_frame_of_a_large_blob_holds_one_chunk(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """1 MiB read from the middle of a 48 MiB blob allocates about 1 MiB, not the blob."""
    monkeypatch.setattr(blobs_mod, "STREAM_BYTES", 1 << 20)
    store = BlobStore(tmp_path / "b", KEY, KEY_ID)
    blob_id = store.put("dicom", os.urandom(48 << 20))
    tracemalloc.start()
    try:
        with store.open("dicom", blob_id) as fh:
            fh.seek(30 << 20)
            part = fh.read(1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(part) == 1 << 20
    assert peak < 4 << 20


def test_a_rotation_finds_and_reads_chunked_blobs_under_the_old_key(tmp_path: Path,
                                                                    small_chunks: None) -> None:
    """Key rotation: the key id is found in a CAB2 file's head, a store holding the old key
    as a second key reads it, and one without it says so instead of failing authentication."""
    from clinic_app.core.store.blobs import KEY_HEADER_BYTES, key_id_of
    from clinic_app.errors import StoreError

    old, blob_id, path, data = _stored(tmp_path)
    assert key_id_of(path.read_bytes()[:KEY_HEADER_BYTES]) == KEY_ID
    new = BlobStore(tmp_path / "b", bytes(32), b"\x02" * 8)
    with pytest.raises(StoreError, match="newer clinical key"):
        new.get("dicom", blob_id)
    new.also_read(KEY, KEY_ID)
    assert new.get("dicom", blob_id) == data == new.try_get("dicom", blob_id)
    assert old.try_get("heatmap", blob_id) is None


def test_pydicom_never_learns_the_ciphertext_path(tmp_path: Path, small_chunks: None) -> None:
    """pydicom reopens an io.BufferedReader by its name for deferred values; the chunked
    reader is a plain buffer to it, so it could never read the ciphertext file."""
    from pydicom import dcmread

    from tests.imaging_support import pydicom_file

    store = BlobStore(tmp_path / "b", KEY, KEY_ID)
    blob_id = store.put("dicom", pydicom_file("CT_small.dcm").read_bytes())
    with store.open("dicom", blob_id) as fh:
        assert not isinstance(fh, io.BufferedReader)
        ds = dcmread(fh, defer_size=64)
        assert ds.filename is None
        assert int(ds.Rows) == 128 and len(ds.PixelData) == 128 * 128 * 2
