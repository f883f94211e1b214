"""Header parsing and validation at import: what is refused, with which reason, and why."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom import dcmread
from pydicom.encaps import encapsulate
from pydicom.uid import MPEG2MPML

from clinic_app.core.imaging.dicom_values import dicom_date, dicom_time, is_valid_uid, sex_code
from clinic_app.core.imaging.headers import parse_header
from clinic_app.core.imaging.pixel_data import encapsulated_extent
from clinic_app.errors import HeaderError
from clinic_app.synthetic.dicom_series import Demographics, write_ct_series
from tests.imaging_support import pydicom_file


@pytest.fixture(scope="module")
def ct_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("ct")
    written = write_ct_series(out, slices=1, rows=16, cols=16, pixel_mm=20.0,
                              demographics=Demographics("MRN-1", "DOE^JANE", "1971-02-03", "F",
                                                        "HOSP"))
    return written.paths[0].read_bytes()


def _rewrite(data: bytes, **changes: object) -> bytes:
    ds = dcmread(io.BytesIO(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the invalid values are the point of these tests
        for key, value in changes.items():
            if value is None:
                delattr(ds, key)
            else:
                setattr(ds, key, value)
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def test_ct_small_fields_and_pixel_offset() -> None:
    """CT_small parses with its UIDs, demographics and the exact offset of its pixel data."""
    data = pydicom_file("CT_small.dcm").read_bytes()
    h = parse_header(data)
    ds = dcmread(io.BytesIO(data))
    assert h.sop_instance_uid == ds.SOPInstanceUID and h.study_uid == ds.StudyInstanceUID
    assert h.modality == "CT" and h.pixels is not None and h.decodable
    assert (h.pixels.rows, h.pixels.cols, h.pixels.frames) == (128, 128, 1)
    offset = h.pixels.offset
    assert offset is not None
    assert data[offset:offset + h.pixels.length] == ds.PixelData
    assert h.rescale_slope == float(ds.RescaleSlope) and h.rescale_intercept == float(ds.RescaleIntercept)
    assert h.position == tuple(float(v) for v in ds.ImagePositionPatient)


def test_demographics_are_normalised(ct_bytes: bytes) -> None:
    """Birth date becomes ISO, sex a word, and the issuer is kept for record linking."""
    h = parse_header(ct_bytes)
    assert h.patient.patient_id == "MRN-1" and h.patient.issuer == "HOSP"
    assert h.patient.birth_date == "1971-02-03" and h.patient.sex == "female"
    assert h.patient.name == "DOE^JANE"


def test_date_time_sex_helpers() -> None:
    """DA/TM/CS values map to ISO text and the records vocabulary, invalid ones to None."""
    assert dicom_date("20240229") == "2024-02-29"
    assert dicom_date("2023.12.01") == "2023-12-01"
    assert dicom_date("20230229") is None and dicom_date("abc") is None
    assert dicom_time("101530.123") == "10:15:30" and dicom_time("1015") == "10:15:00"
    assert dicom_time("25") is None
    assert [sex_code(c) for c in ("F", "m", "O", "", "X")] == ["female", "male", "other",
                                                                "unknown", "unknown"]


@given(st.text(max_size=12))
def test_date_and_time_parsers_never_raise(text: str) -> None:
    """Arbitrary DA/TM text gives an ISO value or None, never an exception."""
    d = dicom_date(text)
    assert d is None or len(d) == 10
    t = dicom_time(text)
    assert t is None or len(t) == 8


@given(st.dates())
def test_valid_dates_round_trip(day: object) -> None:
    """Every real date written as DICOM DA reads back as the same ISO date."""
    text = f"{day.year:04d}{day.month:02d}{day.day:02d}"  # type: ignore[attr-defined]
    assert dicom_date(text) == day.isoformat()  # type: ignore[attr-defined]


@given(st.text(max_size=80))
def test_uid_validation_allows_only_digits_and_dots(text: str) -> None:
    """A UID that passes validation can never contain a path character."""
    if is_valid_uid(text):
        assert set(text) <= set("0123456789.") and len(text) <= 64
        assert "/" not in text and "\\" not in text and ".." not in text


def test_truncated_file_is_refused() -> None:
    """pydicom's MR_truncated.dcm: the pixel data runs past the end of the file."""
    with pytest.raises(HeaderError, match="truncated"):
        parse_header(pydicom_file("MR_truncated.dcm").read_bytes())


def test_truncation_anywhere_in_pixels_is_refused(ct_bytes: bytes) -> None:
    """Cutting a file inside its pixel data is reported, not imported half."""
    with pytest.raises(HeaderError, match="truncated"):
        parse_header(ct_bytes[:-10])


def test_non_dicom_files_are_refused() -> None:
    """Text, PNG and empty files are refused as not DICOM."""
    for data in (b"", b"hello world\n" * 20, b"\x89PNG\r\n\x1a\n" + b"\x00" * 200):
        with pytest.raises(HeaderError, match="not a DICOM file"):
            parse_header(data)


def test_preamble_less_file_is_accepted_when_valid() -> None:
    """A raw dataset without preamble or meta parses (pydicom's ExplVR_LitEndNoMeta)."""
    h = parse_header(pydicom_file("ExplVR_LitEndNoMeta.dcm").read_bytes())
    assert h.modality == "RTPLAN" and h.pixels is None and not h.decodable
    assert h.status == "no pixel data (not an image)"


def test_missing_required_tags_are_named(ct_bytes: bytes) -> None:
    """A missing Series UID or Modality is refused with the tag's name and number."""
    with pytest.raises(HeaderError, match=r"SeriesInstanceUID \(0020,000E\)"):
        parse_header(_rewrite(ct_bytes, SeriesInstanceUID=None))
    with pytest.raises(HeaderError, match=r"Modality \(0008,0060\)"):
        parse_header(_rewrite(ct_bytes, Modality=None))


def test_uid_with_path_characters_is_refused(ct_bytes: bytes) -> None:
    """A UID carrying path characters is refused (and would never become a file name)."""
    with pytest.raises(HeaderError, match="StudyInstanceUID is not a valid DICOM UID"):
        parse_header(_rewrite(ct_bytes, StudyInstanceUID="1.2/../../etc"))


def test_path_characters_in_values_are_plain_text(ct_bytes: bytes) -> None:
    """A PatientID like '../../etc/passwd' is kept as text; it is only ever a value."""
    h = parse_header(_rewrite(ct_bytes, PatientID="../../etc/passwd"))
    assert h.patient.patient_id == "../../etc/passwd"


def test_pixel_length_mismatch_is_refused(ct_bytes: bytes) -> None:
    """Rows × columns × frames × samples must match the pixel data length."""
    with pytest.raises(HeaderError, match="does not match rows × columns"):
        parse_header(_rewrite(ct_bytes, Rows=17))
    with pytest.raises(HeaderError, match="does not match rows × columns"):
        parse_header(pydicom_file("MR_small_padded.dcm").read_bytes())


def test_absurd_dimensions_are_refused_before_decoding(ct_bytes: bytes) -> None:
    """A tiny compressed file declaring a huge matrix is a decompression bomb: refused."""
    ds = dcmread(io.BytesIO(ct_bytes))
    ds.Rows, ds.Columns, ds.NumberOfFrames = 30000, 30000, 10
    ds.PixelData = encapsulate([b"\x00" * 64] * 10)
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.80"
    buf = io.BytesIO()
    ds.save_as(buf)
    with pytest.raises(HeaderError, match="decompression-bomb guard"):
        parse_header(buf.getvalue())


def test_fewer_fragments_than_frames_is_refused(ct_bytes: bytes) -> None:
    """Encapsulated data with fewer fragments than frames is damaged."""
    ds = dcmread(io.BytesIO(ct_bytes))
    ds.NumberOfFrames = 3
    ds.PixelData = encapsulate([b"\xff\xd8" + b"\x00" * 30])
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.80"
    buf = io.BytesIO()
    ds.save_as(buf)
    with pytest.raises(HeaderError, match="1 fragments for 3 frames"):
        parse_header(buf.getvalue())


def test_unsupported_transfer_syntax_is_imported_with_status(ct_bytes: bytes) -> None:
    """MPEG-2 video is indexed but marked 'pixel data not decodable: <name>'."""
    ds = dcmread(io.BytesIO(ct_bytes))
    ds.PixelData = encapsulate([b"\x00\x00\x01\xb3" + b"\x00" * 60])
    ds.file_meta.TransferSyntaxUID = MPEG2MPML
    buf = io.BytesIO()
    ds.save_as(buf)
    h = parse_header(buf.getvalue())
    assert not h.decodable
    assert h.status == "pixel data not decodable: MPEG2 Main Profile / Main Level"


def test_zero_rescale_slope_makes_pixels_untrusted(ct_bytes: bytes) -> None:
    """A RescaleSlope of 0 would turn every pixel into the intercept: not decodable."""
    h = parse_header(_rewrite(ct_bytes, RescaleSlope="0"))
    assert not h.decodable and "RescaleSlope" in h.status


def test_dicomdir_is_not_an_instance() -> None:
    """A DICOMDIR file is recognised as an index, not imported as an instance."""
    with pytest.raises(HeaderError, match="DICOMDIR index"):
        parse_header(pydicom_file("DICOMDIR").read_bytes())


def test_encapsulated_extent_counts_fragments() -> None:
    """The item walk finds the delimiter and counts fragments after the offset table."""
    value = encapsulate([b"ab", b"cdef"])
    data = b"xxxx" + value + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    length, fragments = encapsulated_extent(data, 4)
    assert fragments == 2 and length == len(value) + 8
    with pytest.raises(HeaderError, match="truncated"):
        encapsulated_extent(data[:-8], 4)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_crash_the_parser(data: bytes) -> None:
    """Any byte string is a header or a HeaderError, never another exception."""
    with contextlib.suppress(HeaderError):
        parse_header(data)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.function_scoped_fixture],
          deadline=None)
@given(data=st.data())
def test_damaged_real_files_are_reported_not_crashed(ct_bytes: bytes, data: st.DataObject) -> None:
    """Truncating or corrupting a real file gives a HeaderError or a consistent header."""
    raw = bytearray(ct_bytes)
    cut = data.draw(st.integers(0, len(raw)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)),
                               max_size=4))
    for pos, value in flips:
        raw[pos] = value
    damaged = bytes(raw[:cut])
    try:
        h = parse_header(damaged)
    except HeaderError:
        return
    if h.pixels is not None and h.pixels.offset is not None and not h.pixels.encapsulated:
        assert h.pixels.offset + h.pixels.length <= len(damaged)


def test_header_warnings_do_not_refuse_the_file(ct_bytes: bytes, tmp_path: Path) -> None:
    """A malformed optional value (an invalid birth date) becomes a warning, not a refusal."""
    h = parse_header(_rewrite(ct_bytes, PatientBirthDate="19711302"))
    assert h.patient.birth_date is None
    assert any("PatientBirthDate" in w for w in h.warnings)


@pytest.mark.parametrize(("value", "expected"), [
    (["L", "F"], ("L", "F")),  # PA chest as read: rows run to the patient's left, columns to the feet
    (["A", "FR"], ("A", "FR")),  # oblique column direction: feet and right
    (["P", "F"], ("P", "F")),
    (["L"], None),  # one value
    (["L", "R"], None),  # rows and columns along one axis
    (["RL", "F"], None),  # a direction and its opposite
    (["LE", "V"], None),  # quadruped codes are not shown as human directions
    (None, None),  # absent
])
def test_patient_orientation_is_kept_only_as_two_human_direction_codes(ct_bytes: bytes, value, expected) -> None:
    """PatientOrientation becomes (row, column) codes; anything else is a warning, never letters."""
    header = parse_header(_rewrite(ct_bytes, PatientOrientation=value) if value else ct_bytes)
    assert header.patient_orientation == expected
    warned = any("PatientOrientation" in w for w in header.warnings)
    assert warned == (value is not None and expected is None)


# -- our words, not pydicom's ---------------------------------------------------------------
#: Phrases of pydicom's and zlib's own exception texts: none may reach a message.
THIRD_PARTY_PHRASES = ("Expected total bytes", "No tag to read", "Error -", "Unknown Value",
                       "struct format", "while decompressing", "b'", "\\x")


def _with_raw_value(data: bytes, tag: tuple[int, int], value: bytes) -> bytes:
    """``data`` with the explicit-VR value of ``tag`` replaced by ``value`` (any length)."""
    import re as _re
    import struct as _struct

    head = _struct.pack("<HH", *tag)
    match = _re.search(_re.escape(head) + b"(US|SS)(..)", data, _re.DOTALL)
    assert match is not None, "the element is not in the file"
    (length,) = _struct.unpack("<H", match[2])
    start = match.start()
    return (data[:start] + head + match[1] + _struct.pack("<H", len(value)) + value
            + data[match.end() + length:])


def test_damaged_required_value_is_refused_naming_the_tag_not_the_bytes(ct_bytes: bytes) -> None:
    """Rows holding 11 bytes that spell a name: refused as "required Rows (0028,0010) is
    damaged", without pydicom's message (which quotes the bytes)."""
    data = _with_raw_value(ct_bytes, (0x0028, 0x0010), b"SMITH^JOHN!")
    with pytest.raises(HeaderError) as info:
        parse_header(data)
    text = str(info.value)
    assert text == "required Rows (0028,0010) is damaged: its length does not fit its value type"
    assert "SMITH" not in text


def test_damaged_optional_value_is_a_warning_naming_the_tag(ct_bytes: bytes) -> None:
    """SmallestImagePixelValue with an odd byte count: the file imports; one warning names
    the tag and what is wrong, never the bytes."""
    ds = dcmread(io.BytesIO(ct_bytes))
    ds.add_new(0x00280106, "US", 7)  # SmallestImagePixelValue
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    data = _with_raw_value(buf.getvalue(), (0x0028, 0x0106), b"DOE^JANE!")
    header = parse_header(data)
    (warning,) = [w for w in header.warnings if "SmallestImagePixelValue" in w]
    assert warning == ("SmallestImagePixelValue (0028,0106) is damaged (its length does not "
                       "fit its value type); ignored")
    assert header.pixels is not None and header.decodable


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(128, 1500), st.integers(1, 255)), min_size=1,
                      max_size=6),
       cut=st.one_of(st.none(), st.integers(132, 2000)))
def test_no_third_party_text_reaches_a_header_refusal(ct_bytes: bytes,
                                                      flips: list[tuple[int, int]],
                                                      cut: int | None) -> None:
    """Flipped header bytes and truncation: a HeaderError (or a header) whose messages are
    our own one-line wording, never pydicom's, zlib's or struct's text."""
    data = bytearray(ct_bytes[:cut] if cut else ct_bytes)
    for pos, xor in flips:
        if pos < len(data):
            data[pos] ^= xor
    try:
        texts = list(parse_header(bytes(data)).warnings)
    except HeaderError as exc:
        texts = [str(exc)]
    for text in texts:
        assert "\n" not in text
        assert not any(p in text for p in THIRD_PARTY_PHRASES), text
