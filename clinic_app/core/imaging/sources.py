"""Where DICOM files come from: folders, single files, DICOMDIR media and zip archives.

Enumeration is separate from parsing so an import can count its work first (progress
needs a total) and so every source kind is read through one shape, :class:`SourceItem`.
Nothing here writes to disk: archive members are read into memory, never extracted, so a
hostile member name ("../../etc/passwd", "C:\\x") can never become a path. Such names are
still reported (zip slip), because an archive that carries them was not made by a
well-behaved tool and the person importing should know.

Guards against decompression bombs are applied before any byte is inflated: each member's
declared size and compression ratio are checked, and reading stops one byte past the
declared size so a lying header cannot make us inflate more than we allowed.
"""

from __future__ import annotations

import lzma
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from clinic_app.core.imaging.boundary import PASS_THROUGH
from clinic_app.core.imaging.header_damage import parse_failure, what_is_wrong
from clinic_app.core.imaging.quoting import quoted
from clinic_app.errors import NotAnIndex, SourceError

#: One instance is read into memory whole (it is encrypted as one blob).
MAX_FILE_BYTES = 2 * 1024**3
#: Archive members that inflate more than this ratio, and are large, are refused.
MAX_ZIP_RATIO = 200
ZIP_RATIO_MIN_BYTES = 1024**2
MAX_ZIP_MEMBERS = 1_000_000

DICOMDIR_NAME = "DICOMDIR"
MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"

# A DICOMDIR file-id component: PS3.10 allows 1-8 of A-Z 0-9 _, media in the wild use
# lower case too; anything that could step out of the media root is refused.
_FILE_ID_COMPONENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$")


@dataclass(frozen=True)
class SourceItem:
    """One candidate file: ``label`` is what the user sees (a path, or ``archive!member``)."""

    label: str
    size: int
    read: Callable[[], bytes]


@dataclass(frozen=True)
class Skipped:
    """A file (or source) that was not imported, with a reason a person understands."""

    path: str
    reason: str


def unsafe_member_name(name: str) -> str | None:
    """Why an archive member name is unsafe to map to a path, or None if it is safe.

    Unsafe: absolute paths, drive letters, backslashes, ``..`` components, NUL bytes.
    We never extract, so this is a report, not a defence we depend on.
    """
    if "\x00" in name:
        return "contains a NUL character"
    if "\\" in name:
        return "uses backslashes (a Windows path)"
    if name.startswith("/"):
        return "is an absolute path"
    if re.match(r"^[A-Za-z]:", name):
        return "starts with a drive letter"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the archive with '..'"
    return None


def safe_file_id(components: Sequence[str]) -> str | None:
    """Why a DICOMDIR ReferencedFileID is unsafe, or None if every component is safe."""
    if not components:
        return "is empty"
    for comp in components:
        if comp in (".", "..") or not _FILE_ID_COMPONENT.match(comp):
            return f"has an unsafe component {quoted(comp)}"
    return None


def read_limited(path: Path) -> bytes:
    """Read a whole file, refusing anything larger than :data:`MAX_FILE_BYTES`."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(f"file is {size / 1024**3:.1f} GiB, larger than the "
                              f"{MAX_FILE_BYTES // 1024**3} GiB an instance may be")
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SourceError("file grew past the size limit while being read")
    return data


def _file_item(path: Path, size: int) -> SourceItem:
    return SourceItem(str(path), size, lambda: read_limited(path))


def is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except OSError:
        return False


def enumerate_sources(paths: Sequence[Path]) -> tuple[list[SourceItem], list[Skipped]]:
    """Every candidate file under ``paths``, plus what could not even be enumerated.

    Folders are walked recursively (symlinked folders are not followed, so loops are
    impossible); a DICOMDIR given directly lists exactly the files it references; a
    DICOMDIR found in a folder is validated and its missing references reported, while
    the folder's files are imported directly. Duplicated paths are listed once.
    """
    items: list[SourceItem] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()

    def add(item: SourceItem) -> None:
        if item.label not in seen:
            seen.add(item.label)
            items.append(item)

    for raw in paths:
        path = Path(raw)
        try:
            st = path.stat()
        except OSError as exc:
            skipped.append(Skipped(str(path), _os_reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk_folder(path, add, skipped)
        elif not stat.S_ISREG(st.st_mode):
            skipped.append(Skipped(str(path), "not a regular file (device, pipe or socket)"))
        elif path.name.upper() == DICOMDIR_NAME:
            _from_dicomdir(path, add, skipped)
        elif is_zip(path):
            _from_zip(path, add, skipped)
        else:
            add(_file_item(path, st.st_size))
    return items, skipped


def _walk_folder(root: Path, add: Callable[[SourceItem], None], skipped: list[Skipped]) -> None:
    def on_error(exc: OSError) -> None:
        skipped.append(Skipped(str(exc.filename or root), _os_reason(exc)))

    for folder, dirs, files in os.walk(root, onerror=on_error, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            try:
                st = path.stat()
            except OSError as exc:
                skipped.append(Skipped(str(path), _os_reason(exc)))
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if name.upper() == DICOMDIR_NAME:
                # The folder's files are imported directly; the index is only checked.
                try:
                    _dicomdir_references(path, skipped)
                except NotAnIndex:  # an instance that happens to be called DICOMDIR
                    add(_file_item(path, st.st_size))
                except SourceError as exc:
                    skipped.append(Skipped(str(path), f"malformed DICOMDIR ({exc}); ignored, the "
                                                      "folder's files were scanned directly"))
                continue
            if is_zip(path):
                _from_zip(path, add, skipped)
            else:
                add(_file_item(path, st.st_size))


def _from_dicomdir(path: Path, add: Callable[[SourceItem], None], skipped: list[Skipped]) -> None:
    try:
        files = _dicomdir_references(path, skipped)
    except NotAnIndex:  # not an index: read as an instance, and the media folder scanned
        _walk_folder(path.parent, add, skipped)
        return
    except SourceError as exc:
        skipped.append(Skipped(str(path), f"malformed DICOMDIR ({exc}); its folder was scanned "
                                          "directly instead"))
        _walk_folder(path.parent, add, skipped)
        return
    for file in files:
        try:
            add(_file_item(file, file.stat().st_size))
        except OSError as exc:
            skipped.append(Skipped(str(file), _os_reason(exc)))


def _dicomdir_references(path: Path, skipped: list[Skipped]) -> list[Path]:
    """Files a DICOMDIR references that exist; unsafe or missing ones are reported."""
    from pydicom import dcmread
    from pydicom.errors import InvalidDicomError

    try:
        ds = dcmread(read_limited_path(path), force=False)
        sop_class = str(ds.file_meta.get("MediaStorageSOPClassUID", ""))
        records = ds.get("DirectoryRecordSequence")
    except (InvalidDicomError, OSError, EOFError, ValueError, KeyError, TypeError,
            AttributeError) as exc:
        raise SourceError(parse_failure(exc)) from None
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # pydicom on a hostile file: never abort the import
        raise SourceError(f"cannot be parsed ({type(exc).__name__})") from None
    if sop_class != MEDIA_STORAGE_DIRECTORY:
        raise NotAnIndex("not a Media Storage Directory (DICOMDIR) object")
    if records is None:
        raise SourceError("no DirectoryRecordSequence")
    root = path.parent.resolve()
    found: list[Path] = []
    for record in records:
        try:
            file_id = record.get("ReferencedFileID")
        except (ValueError, TypeError, KeyError) as exc:
            raise SourceError(f"a directory record cannot be read: {what_is_wrong(exc)}") from None
        except PASS_THROUGH:
            raise
        except BaseException as exc:  # pydicom parses records lazily: NotImplementedError for
            # an unknown VR (fuzz seed 3, cases 5507 and 6002), and whatever else it meets
            raise SourceError(f"a directory record cannot be read ({type(exc).__name__})") from None
        if file_id is None:
            continue
        components = [file_id] if isinstance(file_id, str) else [str(c) for c in file_id]
        why = safe_file_id(components)
        label = f"{path}!{'/'.join(components)}"
        if why is not None:
            skipped.append(Skipped(label, f"DICOMDIR reference {why}; not followed"))
            continue
        target = _case_insensitive(root, components)
        if target is None:
            skipped.append(Skipped(label, "listed in DICOMDIR but missing from the media"))
            continue
        found.append(target)
    return found


def read_limited_path(path: Path) -> Path:
    """DICOMDIRs are read by pydicom from the path; refuse absurd sizes first."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SourceError("DICOMDIR is larger than any real one")
    return path


def _case_insensitive(root: Path, components: Sequence[str]) -> Path | None:
    """Resolve a file id on media whose case was changed by the copying tool."""
    current = root
    for comp in components:
        exact = current / comp
        if exact.exists():
            current = exact
            continue
        try:
            matches = [p for p in current.iterdir() if p.name.upper() == comp.upper()]
        except OSError:
            return None
        if len(matches) != 1:
            return None
        current = matches[0]
    resolved = current.resolve()
    if root not in resolved.parents or not resolved.is_file():
        return None
    return resolved


def _from_zip(path: Path, add: Callable[[SourceItem], None], skipped: list[Skipped]) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        skipped.append(Skipped(str(path), f"unreadable zip archive ({_zip_reason(exc)})"))
        return
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # a central directory built to break the reader
        skipped.append(Skipped(str(path), f"unreadable zip archive ({type(exc).__name__})"))
        return
    if len(infos) > MAX_ZIP_MEMBERS:
        skipped.append(Skipped(str(path), f"archive lists {len(infos)} members; refused"))
        return
    members: list[tuple[str, zipfile.ZipInfo]] = []
    copies: dict[str, int] = {}
    for info in infos:
        if info.is_dir():
            continue
        # A DICOMDIR member is read like any other: the header parser reports a real index
        # ("a DICOMDIR index, not an instance") and imports an instance that is only named so.
        copies[info.filename] = copies.get(info.filename, 0) + 1
        label = f"{path}!{info.filename}"
        if copies[info.filename] > 1:  # same name twice: both are read, told apart
            label += f" (copy {copies[info.filename]} of that name in the archive)"
        why = unsafe_member_name(info.filename)
        if why is not None:
            skipped.append(Skipped(label, f"unsafe path in archive (zip slip: the name {why}); "
                                          "not imported"))
            continue
        if info.flag_bits & 0x1:
            skipped.append(Skipped(label, "encrypted archive member; extract it first"))
            continue
        if info.file_size > MAX_FILE_BYTES:
            skipped.append(Skipped(label, "archive member is larger than an instance may be"))
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
            skipped.append(Skipped(label, f"compression ratio {ratio:.0f}:1 looks like a "
                                          "decompression bomb; not inflated"))
            continue
        members.append((label, info))
    archive = _Archive(path, len(members))
    for label, info in members:
        add(SourceItem(label, info.file_size, archive.reader(info)))


class _Archive:
    """One open ZipFile shared by its members' readers, closed after the last one.

    Opening the archive per member would re-read the central directory every time, which
    is quadratic for archives of thousands of files.
    """

    def __init__(self, path: Path, members: int) -> None:
        self.path = path
        self.remaining = members
        self._zf: zipfile.ZipFile | None = None

    def reader(self, info: zipfile.ZipInfo) -> Callable[[], bytes]:
        return lambda: self.read(info)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        try:
            if self._zf is None:
                self._zf = zipfile.ZipFile(self.path)
            with self._zf.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, ValueError,
                NotImplementedError, EOFError, RuntimeError) as exc:
            # Each member is skipped alone (bad CRC, corrupt deflate/LZMA/bzip2 stream,
            # unsupported method); the rest of the archive still imports.
            raise SourceError(f"archive member cannot be read: {_member_reason(exc)}") from None
        except PASS_THROUGH:
            raise
        except BaseException as exc:  # a decompressor failing in a way we did not foresee
            raise SourceError("archive member cannot be read: the compressed data is damaged "
                              f"({type(exc).__name__})") from None
        finally:
            self.remaining -= 1
            if self.remaining <= 0 and self._zf is not None:
                self._zf.close()
                self._zf = None
        if len(data) != info.file_size:
            raise SourceError("archive member inflates to a different size than declared")
        return data


def _member_reason(exc: BaseException) -> str:
    """Why a member failed, in words (the decompressors' texts are terse and vary)."""
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "its checksum (CRC) does not match: the archive is damaged"
    if isinstance(exc, (zlib.error, lzma.LZMAError, EOFError)) or (
            isinstance(exc, OSError) and "stream" in str(exc).lower()):
        return f"the compressed data is damaged ({type(exc).__name__})"
    if isinstance(exc, NotImplementedError):
        return "unsupported compression method"
    return _zip_reason(exc)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot be read ({exc.strerror or type(exc).__name__})"


def _zip_reason(exc: BaseException) -> str:
    """Why a zip archive or member cannot be read, from the exception's type (the zip
    module's texts quote member names, which can carry patient names)."""
    if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
        return _os_reason(exc)
    if isinstance(exc, NotImplementedError):
        return "it uses a zip feature that is not supported (encryption or a compression method)"
    if isinstance(exc, RuntimeError):
        return "the member is encrypted"
    return f"not a zip archive, or its directory is damaged ({type(exc).__name__})"

