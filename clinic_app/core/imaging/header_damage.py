"""Our own words for a damaged DICOM header: which tag, what is wrong, never pydicom's text.

pydicom's exception messages quote the bytes and values they choke on ("Expected total
bytes to be an even multiple ... received b'SMITH^JOHN...'"), so they can carry patient
data, and they speak in parser terms. A refusal or warning shown to a user, written to a
log or kept in an import report is built here instead, from the exception's *type* and
the tag it concerns (found by converting each element ourselves, or read as a tag number
from the exception's text, never copied from it).

Elements are converted one by one before the header is validated (:func:`damaged_elements`),
so a damaged value is tied to its tag. A damaged *required* value (a UID, the pixel
layout) refuses the file naming the tag; a damaged optional one is a warning and is
dropped, so one bad optional value never costs the image.
"""

from __future__ import annotations

import re
import struct
import zlib

from pydicom.datadict import keyword_for_tag
from pydicom.dataset import Dataset
from pydicom.errors import BytesLengthException, InvalidDicomError
from pydicom.tag import BaseTag, Tag

#: Never converted: they are the user's (Ctrl+C) or the interpreter's, not the file's.
PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)

#: Elements whose damage refuses the file: identity (UIDs), what kind of object it is,
#: and the pixel layout. Everything else is optional for storing and showing an image.
REQUIRED = frozenset({
    "SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "Modality",
    "Rows", "Columns", "BitsAllocated", "BitsStored", "HighBit", "SamplesPerPixel",
    "PhotometricInterpretation", "PixelRepresentation", "NumberOfFrames",
    "PlanarConfiguration", "TransferSyntaxUID", "MediaStorageSOPClassUID",
    "MediaStorageSOPInstanceUID", "PatientID",
})

#: Elements larger than this were left unread by the parser (``defer_size``); they are
#: read only when used (LUT data, overlays) and not converted ahead.
DEFERRED_BYTES = 4096

_TAG_IN_TEXT = re.compile(r"\(\s*([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})\s*\)")


def tag_name(tag: BaseTag) -> str:
    """``PatientID (0010,0020)``, or ``private tag (0009,1001)`` when it has no keyword."""
    keyword = keyword_for_tag(tag) or "tag"
    return f"{keyword} ({tag.group:04X},{tag.element:04X})"


def what_is_wrong(exc: BaseException) -> str:
    """What kind of damage ``exc`` means, in words (from its type only)."""
    if isinstance(exc, BytesLengthException | struct.error):
        return "its length does not fit its value type"
    if isinstance(exc, OverflowError):
        return "a number in it is out of range"
    if isinstance(exc, NotImplementedError):
        return "its value representation (VR) is unknown"
    if isinstance(exc, UnicodeError):
        return "its text is not in the declared character set"
    if isinstance(exc, ValueError | TypeError):
        return "its value does not fit its value type"
    return (f"it cannot be read ({type(exc).__name__})")


def parse_failure(exc: BaseException) -> str:
    """Why the file could not be parsed at all (the reader stopped), in our words."""
    where = _tag_from_text(exc)
    if isinstance(exc, zlib.error):
        return ("its deflate-compressed dataset is damaged (it does not "
                                        "inflate)")
    if isinstance(exc, InvalidDicomError):
        return "it is not a DICOM file (the header cannot be parsed)"
    if isinstance(exc, EOFError | OSError) or (isinstance(exc, struct.error) and where is None):
        return ("the file ends inside a data element, or an element's "
                                        "length points past the end (truncated or damaged)")
    if where is not None:
        return (f"{tag_name(where)} is damaged: {what_is_wrong(exc)}")
    return (f"a data element is damaged: {what_is_wrong(exc)}")


def _tag_from_text(exc: BaseException) -> BaseTag | None:
    """The tag number an exception's message names, if any (only the number is used)."""
    match = _TAG_IN_TEXT.search(str(exc))
    return Tag(int(match[1], 16), int(match[2], 16)) if match else None


def damaged_elements(ds: Dataset, skip: frozenset[BaseTag]) -> list[tuple[BaseTag, str]]:
    """Top-level elements whose value cannot be converted: (tag, what is wrong), in order.

    Converting here (pydicom converts lazily, on first access) ties each failure to its
    tag. ``skip``: elements not to touch (pixel data). Deferred large values are left for
    their users, which read them behind the decoder wall. Private (vendor) elements are
    never read by the import, so their damage costs nothing and is not looked for.
    """
    bad: list[tuple[BaseTag, str]] = []
    for tag in list(ds.keys()):
        if tag in skip or tag.is_private:  # vendor data: never read, so never in the way
            continue
        raw = ds.get_item(tag, keep_deferred=True)
        length = getattr(raw, "length", 0) or 0
        if raw is None or (length > DEFERRED_BYTES and getattr(raw, "value", None) is None):
            continue
        try:
            ds[tag]
        except PASS_THROUGH:
            raise
        except BaseException as exc:
            bad.append((tag, what_is_wrong(exc)))
    return bad


def settle_damage(ds: Dataset, skip: frozenset[BaseTag], warns: list[str]) -> str | None:
    """Drop damaged optional elements (one warning each); the refusal for a damaged
    required one, or None."""
    for tag, what in damaged_elements(ds, skip):
        if keyword_for_tag(tag) in REQUIRED:
            return (f"required {tag_name(tag)} is damaged: {what}")
        del ds[tag]
        warns.append(f"{tag_name(tag)} is damaged ({what}); ignored")
    return None
