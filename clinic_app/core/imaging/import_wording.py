"""DICOM import refusals and warnings in the reader's language (no Qt; CLI and screens).

The core writes these in English because they are stored (an instance's status and
warnings in the index) and compared by tests and the fuzzer; a stored reason must read
the same whoever imported the file. They are translated here, when shown, by matching
them against the templates the core writes them from. Parts that are file-derived
(tag keywords, numbers, quoted values) are kept as written; parts that are themselves
one of our reasons (``{why}``, ``{what}``, ``{refusal}``) are translated in turn.
"""

from __future__ import annotations

import re

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.i18n.template_match import TemplateWording

#: Every reason the import writes, as its English template, most specific first.
TEMPLATES = (
    # headers.py
    QT_TRANSLATE_NOOP("DicomImport", "not a DICOM file (too short to hold a DICOM header)"),
    QT_TRANSLATE_NOOP("DicomImport", "not a DICOM file (no DICM marker and no recognisable DICOM header)"),
    QT_TRANSLATE_NOOP("DicomImport", "not a readable DICOM file: {why}"),
    QT_TRANSLATE_NOOP("DicomImport", "damaged DICOM header: {why}"),
    QT_TRANSLATE_NOOP("DicomImport", "a DICOMDIR index, not an instance (import its folder or the DICOMDIR)"),
    QT_TRANSLATE_NOOP("DicomImport", "missing required tag {tags}"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} is not a valid DICOM UID (only digits and dots, at most "
                                     "64 characters)"),
    QT_TRANSLATE_NOOP("DicomImport", "the transfer syntax UID is not a valid UID"),
    QT_TRANSLATE_NOOP("DicomImport", "per-frame {refusal}"),
    # header_damage.py
    QT_TRANSLATE_NOOP("DicomImport", "its deflate-compressed dataset is damaged (it does not inflate)"),
    QT_TRANSLATE_NOOP("DicomImport", "it is not a DICOM file (the header cannot be parsed)"),
    QT_TRANSLATE_NOOP("DicomImport", "the file ends inside a data element, or an element's length points "
                                     "past the end (truncated or damaged)"),
    QT_TRANSLATE_NOOP("DicomImport", "required {tag} is damaged: {what}"),
    QT_TRANSLATE_NOOP("DicomImport", "a data element is damaged: {what}"),
    QT_TRANSLATE_NOOP("DicomImport", "{tag} is damaged ({what}); ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{tag} is damaged: {what}"),
    QT_TRANSLATE_NOOP("DicomImport", "its length does not fit its value type"),
    QT_TRANSLATE_NOOP("DicomImport", "a number in it is out of range"),
    QT_TRANSLATE_NOOP("DicomImport", "its value representation (VR) is unknown"),
    QT_TRANSLATE_NOOP("DicomImport", "its text is not in the declared character set"),
    QT_TRANSLATE_NOOP("DicomImport", "its value does not fit its value type"),
    QT_TRANSLATE_NOOP("DicomImport", "it cannot be read ({kind})"),
    # pixel_data.py
    QT_TRANSLATE_NOOP("DicomImport", "pixel data not decodable: float pixel data is not supported"),
    QT_TRANSLATE_NOOP("DicomImport", "missing Pixel Data (7FE0,0010) although the header describes an "
                                     "image; the file may be truncated"),
    QT_TRANSLATE_NOOP("DicomImport", "the file is truncated or damaged: a {sop_class} object without its "
                                     "image (no Pixel Data)"),
    QT_TRANSLATE_NOOP("DicomImport", "no pixel data (not an image)"),
    QT_TRANSLATE_NOOP("DicomImport", "missing required image tag {tags}"),
    QT_TRANSLATE_NOOP("DicomImport", "NumberOfFrames is not a number"),
    QT_TRANSLATE_NOOP("DicomImport", "image has no pixels (rows {rows}, columns {cols}, frames {frames})"),
    QT_TRANSLATE_NOOP("DicomImport", "absurd image dimensions ({rows} × {cols} × {frames} frames); refused "
                                     "before decoding (decompression-bomb guard)"),
    QT_TRANSLATE_NOOP("DicomImport", "impossible pixel format (BitsAllocated {bits}, BitsStored {stored}, "
                                     "SamplesPerPixel {samples}, PixelRepresentation {rep})"),
    QT_TRANSLATE_NOOP("DicomImport", "pixel data would decode to {size} GiB, over the {limit} GiB limit "
                                     "(decompression-bomb guard)"),
    QT_TRANSLATE_NOOP("DicomImport", "compressed pixel data could not be located in the file"),
    QT_TRANSLATE_NOOP("DicomImport", "compressed pixel data holds {fragments} fragments for {frames} "
                                     "frames; the file is damaged or truncated"),
    QT_TRANSLATE_NOOP("DicomImport", "the file is truncated: the pixel data ends past the end of the file"),
    QT_TRANSLATE_NOOP("DicomImport", "pixel data length {length} bytes does not match rows × columns × "
                                     "frames × samples ({rows} × {cols} × {frames} × {samples} at {bits} "
                                     "bits = {expected} bytes)"),
    QT_TRANSLATE_NOOP("DicomImport", "the file is truncated inside the compressed pixel data"),
    QT_TRANSLATE_NOOP("DicomImport", "compressed pixel data is malformed (an item tag is wrong)"),
    QT_TRANSLATE_NOOP("DicomImport", "pixel data not decodable: unknown photometric interpretation {value}"),
    QT_TRANSLATE_NOOP("DicomImport", "pixel data not decodable: {syntax} (no codec installed)"),
    QT_TRANSLATE_NOOP("DicomImport", "pixel data not decodable: {syntax}"),
    # plausibility.py (a rescale that makes the pixel values meaningless)
    QT_TRANSLATE_NOOP("DicomImport", "RescaleSlope {value} is outside ±{limit}; pixel values cannot be "
                                     "trusted"),
    QT_TRANSLATE_NOOP("DicomImport", "RescaleIntercept {value} is outside ±{limit}; pixel values cannot "
                                     "be trusted"),
    QT_TRANSLATE_NOOP("DicomImport", "RescaleSlope {value} with {bits}-bit values overflows; pixel values "
                                     "cannot be trusted"),
    QT_TRANSLATE_NOOP("DicomImport", "RescaleSlope/RescaleIntercept are empty, zero or not numbers; pixel "
                                     "values cannot be trusted"),
    # headers.py, header_geometry.py, plausibility.py (optional values dropped with a warning)
    QT_TRANSLATE_NOOP("DicomImport", "PatientBirthDate is not a valid date; stored as unknown"),
    QT_TRANSLATE_NOOP("DicomImport", "WindowCenter and WindowWidth have different numbers of values; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "ImageOrientationPatient is not two orthogonal unit vectors; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "GridFrameOffsetVector does not list one offset per frame; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} {value} mm is outside the plausible {low}–{high} mm per pixel; "
                                     "ignored (distances are not calibrated)"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} {value} mm is outside 0–{limit} mm; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} {value} mm lies more than {limit} m from the origin; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} centre/width {values} is not a usable window (width must be "
                                     "positive, values within ±1e9); ignored"),
    # importer.py
    QT_TRANSLATE_NOOP("DicomImport", "pixel data cannot be decoded, so this instance was not imported (the "
                                     "rest of its series was): {detail}"),
    QT_TRANSLATE_NOOP("DicomImport", "an instance with this SOPInstanceUID is already stored with "
                                     "different content; the first copy was kept"),
    QT_TRANSLATE_NOOP("DicomImport", "this StudyInstanceUID already belongs to a different patient "
                                     "(PatientID or issuer differ); not merged, and the study is flagged "
                                     "for review"),
    QT_TRANSLATE_NOOP("DicomImport", "this SeriesInstanceUID already belongs to a different study; not "
                                     "merged"),
    # dicom_values.py, header_geometry.py (optional values dropped with a warning)
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} is not a usable number; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} is not a finite number; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} {value} is not a valid integer; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} is not numeric; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} is not finite; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} does not hold {n} numbers; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "{keyword} is not two positive numbers; ignored"),
    QT_TRANSLATE_NOOP("DicomImport", "PerFrameFunctionalGroupsSequence has {items} items for {frames} "
                                     "frames; per-frame geometry ignored"),
    # boundary.py, decode.py: the decoder's refusal inside "pixel data cannot be decoded" (its
    # instance, then why; the decoder's own text is never in it)
    QT_TRANSLATE_NOOP("DicomImport", "{place}, frame {frame}: {cause}."),
    QT_TRANSLATE_NOOP("DicomImport", "{place}: {cause}."),
    QT_TRANSLATE_NOOP("DicomImport", "file {file}, instance {number}, SOP Instance UID {uid}"),
    QT_TRANSLATE_NOOP("DicomImport", "file {file}, SOP Instance UID {uid}"),
    QT_TRANSLATE_NOOP("DicomImport", "instance {number}, SOP Instance UID {uid}"),
    QT_TRANSLATE_NOOP("DicomImport", "SOP Instance UID {uid}"),
    QT_TRANSLATE_NOOP("DicomImport", "{stage} could not be decoded ({cause})"),
    QT_TRANSLATE_NOOP("DicomImport", "{stage} is unusable ({cause})"),
    QT_TRANSLATE_NOOP("DicomImport", "{syntax} pixel data"),
    QT_TRANSLATE_NOOP("DicomImport", "Modality LUT"),
    QT_TRANSLATE_NOOP("DicomImport", "VOI LUT Sequence"),
    QT_TRANSLATE_NOOP("DicomImport", "palette colour table"),
    QT_TRANSLATE_NOOP("DicomImport", "the data is damaged or uses a form the decoder does not support"),
    QT_TRANSLATE_NOOP("DicomImport", "not enough memory"),
    QT_TRANSLATE_NOOP("DicomImport", "decoded to shape {shape} instead of {expected}"),
    QT_TRANSLATE_NOOP("DicomImport", "no such frame (the instance has {frames})"),
    QT_TRANSLATE_NOOP("DicomImport", "would decode to more memory than allowed; refused"),
    QT_TRANSLATE_NOOP("DicomImport", "no decodable pixel data ({status})"),
)

_UNKNOWN_TAG = re.compile(r"^tag (?=\([0-9A-F]{4},[0-9A-F]{4}\)$)")


def _tag(text: str) -> str:
    """``tag (0009,1001)`` (a tag without a keyword) with "tag" in the reader's language."""
    return _UNKNOWN_TAG.sub(translate("DicomImport", "tag") + " ", text)


#: ``why``, ``what``, ``refusal`` and the decoder refusal's parts (``detail``, ``place``,
#: ``cause``, ``stage``) are wordings of ours themselves, translated in turn.
_WORDING = TemplateWording(lambda text: translate("DicomImport", text), TEMPLATES,
                           frozenset({"why", "what", "refusal", "detail", "place", "cause", "stage"}),
                           {"tag": _tag})


def shown_reason(text: str) -> str:
    """A stored or reported import reason in the reader's language; text we did not write
    (or do not know) is returned as it is."""
    return _WORDING.shown(text)
