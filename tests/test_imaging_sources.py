"""Enumerating sources: folders, DICOMDIR media, zip archives, and their guards."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.imaging.sources import enumerate_sources, safe_file_id, unsafe_member_name
from tests.imaging_support import copy_pydicom_files, dicomdir_tree, pydicom_file


def test_folder_is_walked_recursively_and_once(tmp_path: Path) -> None:
    """Nested folders are walked; a path given twice is listed once."""
    copy_pydicom_files(["CT_small.dcm"], tmp_path / "a")
    copy_pydicom_files(["MR_small.dcm"], tmp_path / "a" / "b" / "c")
    items, skipped = enumerate_sources([tmp_path, tmp_path / "a"])
    assert sorted(Path(i.label).name for i in items) == ["CT_small.dcm", "MR_small.dcm"]
    assert skipped == []


def test_missing_path_is_reported(tmp_path: Path) -> None:
    """A path that does not exist is one skipped entry with a plain reason."""
    items, skipped = enumerate_sources([tmp_path / "nope"])
    assert items == [] and skipped[0].reason == "no such file or folder"


def test_dicomdir_lists_exactly_its_files(tmp_path: Path) -> None:
    """A DICOMDIR given directly yields the files it references (and only those)."""
    root = dicomdir_tree(tmp_path / "media")
    (root / "77654033" / "CR1" / "stray.dcm").write_bytes(b"x")
    items, skipped = enumerate_sources([root / "DICOMDIR"])
    names = {Path(i.label).name for i in items}
    assert "6154" in names and "stray.dcm" not in names
    assert len(items) == 31 and skipped == []


def test_dicomdir_missing_reference_is_reported(tmp_path: Path) -> None:
    """A file the DICOMDIR lists but the media lacks is reported by its file id."""
    root = dicomdir_tree(tmp_path / "media")
    (root / "77654033" / "CR2" / "6247").unlink()
    _items, skipped = enumerate_sources([root / "DICOMDIR"])
    assert [s.reason for s in skipped] == ["listed in DICOMDIR but missing from the media"]
    assert skipped[0].path.endswith("77654033/CR2/6247")


def test_malformed_dicomdir_falls_back_to_the_folder(tmp_path: Path) -> None:
    """A damaged DICOMDIR is reported and its folder scanned; one that is an instance is read."""
    media = tmp_path / "media"
    copy_pydicom_files(["CT_small.dcm"], media)
    (media / "DICOMDIR").write_bytes(pydicom_file("CT_small.dcm").read_bytes()[:300])
    items, skipped = enumerate_sources([media / "DICOMDIR"])
    # It is not an index (a cut CT file): it is read as an instance, never silently dropped.
    assert sorted(Path(i.label).name for i in items) == ["CT_small.dcm", "DICOMDIR"]
    assert skipped == []
    (media / "DICOMDIR").write_bytes(b"\0" * 200)
    items, skipped = enumerate_sources([media / "DICOMDIR"])
    assert [Path(i.label).name for i in items] == ["CT_small.dcm"]
    assert "malformed DICOMDIR" in skipped[0].reason


def test_dicomdir_inside_a_folder_is_checked_not_imported(tmp_path: Path) -> None:
    """Importing a media folder imports its files; the DICOMDIR itself is not an item."""
    root = dicomdir_tree(tmp_path / "media")
    items, _skipped = enumerate_sources([root])
    assert all(Path(i.label).name.upper() != "DICOMDIR" for i in items)
    assert any(Path(i.label).name == "6154" for i in items)


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_members_are_read_in_memory(tmp_path: Path) -> None:
    """Archive members become items read from the archive; nothing is extracted."""
    ct = pydicom_file("CT_small.dcm").read_bytes()
    archive = _zip(tmp_path / "study.zip", {"DIR/IM1": ct, "DIR/": b""})
    items, skipped = enumerate_sources([archive])
    assert [i.label for i in items] == [f"{archive}!DIR/IM1"] and skipped == []
    assert items[0].read() == ct
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.zip"]


def test_zip_slip_names_are_reported(tmp_path: Path) -> None:
    """Members named with '..', absolute paths or drive letters are refused as zip slip."""
    ct = pydicom_file("CT_small.dcm").read_bytes()
    archive = _zip(tmp_path / "evil.zip", {"../../evil.dcm": ct, "/abs.dcm": ct, "C:/x.dcm": ct,
                                           "ok/fine.dcm": ct})
    items, skipped = enumerate_sources([archive])
    assert [i.label.split("!")[1] for i in items] == ["ok/fine.dcm"]
    assert len(skipped) == 3 and all("zip slip" in s.reason for s in skipped)
    assert not (tmp_path.parent / "evil.dcm").exists()


def test_zip_bomb_is_not_inflated(tmp_path: Path) -> None:
    """A member that inflates far beyond its compressed size is refused before reading."""
    archive = _zip(tmp_path / "bomb.zip", {"bomb.dcm": b"\x00" * (20 * 1024 * 1024)})
    items, skipped = enumerate_sources([archive])
    assert items == [] and "decompression bomb" in skipped[0].reason


def test_corrupt_zip_is_reported(tmp_path: Path) -> None:
    """A file that starts like a zip but is not one is reported, not a crash."""
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    items, skipped = enumerate_sources([bad])
    assert items == [] and "unreadable zip archive" in skipped[0].reason


@given(st.text(alphabet=st.sampled_from(list("ab./\\:C.._-")), max_size=24))
def test_safe_member_names_stay_inside_the_archive(name: str) -> None:
    """Any member name judged safe normalises to a path inside the extraction root."""
    if unsafe_member_name(name) is None:
        normal = posixpath.normpath("root/" + name)
        assert normal == "root" or normal.startswith("root/")


@given(st.lists(st.text(alphabet=st.sampled_from(list("AB09_./\\:-")), min_size=0, max_size=9),
                max_size=4))
def test_safe_file_ids_never_climb(components: list[str]) -> None:
    """A DICOMDIR file id judged safe never contains '..', separators or drive letters."""
    if safe_file_id(components) is None:
        assert components and all(c not in ("", ".", "..") for c in components)
        assert not any(ch in c for c in components for ch in "/\\:")


def test_many_member_zip_reads_every_member_once_opened(tmp_path: Path) -> None:
    """All members of a zip are readable in order; a DICOMDIR member is read too (the header
    parser reports a real index, an instance merely named so imports)."""
    ct = pydicom_file("CT_small.dcm").read_bytes()
    members = {f"S/IM{i:04d}": ct for i in range(50)}
    members["DICOMDIR"] = pydicom_file("DICOMDIR").read_bytes()
    archive = _zip(tmp_path / "many.zip", members)
    items, skipped = enumerate_sources([archive])
    assert len(items) == 51 and skipped == []
    assert all(item.read() == ct for item in items if not item.label.endswith("DICOMDIR"))
